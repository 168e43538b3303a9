import type { Config } from './config.js';

/**
 * What a person starting the hotline needs to read first: where the console is, and which channels are on
 * (and, when one is off, the settings that turn it on). Plain lines, before any log output.
 */
export function startupLines(config: Config): string[] {
  const base = config.http.publicBaseUrl.replace(/\/+$/, '');
  const twilio = config.twilio;
  const numbers = twilio ? [twilio.numbers.civil, twilio.numbers.service].filter((n): n is string => !!n) : [];
  return [
    `staff console: ${base}/console (sign-in accounts: npx hotline staff add --help)`,
    twilio
      ? `SMS and voice (Twilio): on${numbers.length > 0 ? ` for ${numbers.join(', ')}` : ''}; webhooks ${base}/channels/twilio/sms and ${base}/channels/twilio/voice`
      : 'SMS and voice (Twilio): off (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to turn them on)',
    config.wecom
      ? `WeCom: on; callback ${base}/channels/wecom/callback`
      : 'WeCom: off (set WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY to turn it on)',
    config.llm ? `LLM: ${config.llm.model} at ${config.llm.baseUrl}, beside the rules` : 'LLM: off (the rules and the learned model decide; LLM_BASE_URL and LLM_MODEL add one)',
    'simulated resident: npx hotline sim',
  ];
}
