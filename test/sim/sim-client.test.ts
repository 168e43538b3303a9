import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimClient } from '../../src/sim/sim-client.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

const twilio = { accountSid: 'AC00000000000000000000000000000009', authToken: 'sim-token' };
const wecom = { token: 'simtoken', encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corpId: 'wwsimcorp', agentId: '1000002' };
let env: TestEnv;
let fake: FakeWecom;
let baseUrl: string;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: wecom.corpId, secret: 's' });
  env = await createTestEnv({
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    WECOM_CORP_ID: wecom.corpId,
    WECOM_TOKEN: wecom.token,
    WECOM_ENCODING_AES_KEY: wecom.encodingAesKey,
    WECOM_AGENT_ID: wecom.agentId,
    WECOM_SECRET: 's',
    WECOM_API_BASE_URL: fake.url,
  });
  baseUrl = await env.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
});

const client = (channel: 'sms' | 'voice' | 'wecom', from: string) =>
  createSimClient({ baseUrl, publicBaseUrl: env.config.http.publicBaseUrl, channel, from, twilio, wecom, db: env.deps.db });

describe('hotline sim', () => {
  it('converses by SMS over real HTTP with signed requests', async () => {
    const sms = client('sms', '+8613700137001');
    const replies = await sms.send('你好');
    expect(replies.join('')).toMatch(/2 申请救助/);
    expect((await sms.send('2')).join('')).toMatch(/./);
  });

  it('walks a voice call by its action URLs, with keypad and speech', async () => {
    const voice = client('voice', '+8613700137002');
    expect((await voice.start()).join('')).toMatch(/申请救助请按2/);
    const next = await voice.send('2');
    expect(next.join('').length).toBeGreaterThan(0);
    expect(await env.deps.db.message.count({ where: { channel: 'voice', sender: '+8613700137002', direction: 'inbound' } })).toBe(2);
  });

  it('writes as a WeCom member and reads the replies back', async () => {
    const w = client('wecom', 'simuser');
    const replies = await w.send('你好');
    expect(replies.join('')).toMatch(/1 紧急求助/);
  });

  it('`hotline sim` says how to use it, prompts for each line and leaves on /quit', async () => {
    // Spawned, not spawnSync: the hotline it talks to runs in this process and must keep answering.
    const child = spawn('npx', ['tsx', 'src/cli.ts', 'sim', 'sms', '--from', '+8613700137009', '--url', baseUrl], {
      env: { ...process.env, TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, PUBLIC_BASE_URL: env.config.http.publicBaseUrl },
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      // Answer the first prompt, then leave once the hotline has answered.
      if (stdout.includes('您> ') && !child.stdin.writableEnded && !stdout.includes('热线>')) child.stdin.write('你好\n');
      if (stdout.includes('热线>') && !child.stdin.writableEnded) child.stdin.end('/quit\n');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('输入 /quit 退出');
    expect(stdout).toMatch(/热线> .*申请救助/);
  }, 60_000);

  it('knows when the hotline ends a call', async () => {
    const voice = client('voice', '+8613700137003');
    await voice.start();
    expect(voice.ended).toBe(false);
    const sms = client('sms', '+8613700137004');
    await sms.send('你好');
    expect(sms.ended).toBe(false);
  });
});
