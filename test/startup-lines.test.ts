import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { startupLines } from '../src/startup-lines.js';

describe('the first lines of npm start', () => {
  it('say where the console is and, for a channel that is off, which settings turn it on', () => {
    const lines = startupLines(parseConfig({ PUBLIC_BASE_URL: 'https://hotline.example.cn/' }));
    expect(lines[0]).toBe('staff console: https://hotline.example.cn/console (sign-in accounts: npx hotline staff add --help)');
    expect(lines.join('\n')).toContain('SMS and voice (Twilio): off (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
    expect(lines.join('\n')).toContain('WeCom: off (set WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY');
  });

  it('name the numbers and webhook addresses of the channels that are on', () => {
    const lines = startupLines(
      parseConfig({
        PUBLIC_BASE_URL: 'https://hotline.example.cn',
        TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
        TWILIO_AUTH_TOKEN: 'secret',
        TWILIO_NUMBER_12349: '+8653912349000',
        WECOM_CORP_ID: 'ww0000',
        WECOM_TOKEN: 'token',
        WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
      }),
    ).join('\n');
    expect(lines).toContain('SMS and voice (Twilio): on for +8653912349000; webhooks https://hotline.example.cn/channels/twilio/sms');
    expect(lines).toContain('WeCom: on; callback https://hotline.example.cn/channels/wecom/callback');
  });
});
