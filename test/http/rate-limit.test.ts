import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';
import { newSid, postSms, postTwilio, postWecom, smsParams, TWILIO, voiceParams, WECOM, wecomAppText } from '../helpers/channels.js';

const PER_SENDER = 5;
const WECOM_PER_IP = 4;
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv({ ...TWILIO, ...WECOM, WECOM_API_BASE_URL: 'http://127.0.0.1:9', RATE_LIMIT_PER_SENDER: String(PER_SENDER), RATE_LIMIT_WECOM_PER_IP: String(WECOM_PER_IP) });
});
afterAll(() => env?.close());

const stored = (sender: string) => env.deps.db.message.count({ where: { direction: 'inbound', sender } });

describe('per-sender rate limits on the webhooks', () => {
  it('a flooding sender gets 429 with a Mandarin TwiML message while another sender is answered normally', async () => {
    const flooder = '+8613700137001';
    const other = '+8613700137002';
    const flood = await Promise.all(Array.from({ length: PER_SENDER + 5 }, (_, i) => postSms(env.app, smsParams(flooder, `刷屏${i}`))));
    const codes = flood.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(PER_SENDER);
    expect(codes.filter((c) => c === 429)).toHaveLength(5);
    const refused = flood.find((r) => r.statusCode === 429)!;
    expect(refused.headers['content-type']).toMatch(/text\/xml/);
    expect(readTwiml(refused.body).messages.join('')).toMatch(/过于频繁.*110/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await stored(flooder)).toBe(PER_SENDER);

    const answered = await postSms(env.app, smsParams(other, '你好'));
    expect(answered.statusCode).toBe(200);
    expect(readTwiml(answered.body).messages.join('')).toMatch(/1 紧急求助/);
    expect(env.logs.join('')).toMatch(/"security":"rate_limited"/);
  });

  it('forged requests in a resident’s name do not spend that resident’s allowance', async () => {
    const victim = '+8613700137003';
    const forged = await Promise.all(Array.from({ length: PER_SENDER * 2 }, () => postSms(env.app, smsParams(victim, '伪造'), { token: 'not-the-token' })));
    expect(new Set(forged.map((r) => r.statusCode))).toEqual(new Set([403]));
    const real = await postSms(env.app, smsParams(victim, '你好'));
    expect(real.statusCode).toBe(200);
    expect(await stored(victim)).toBe(1);
  });

  it('a flooding caller hears a short message and the call ends', async () => {
    const caller = '+8613700137004';
    const turns = [];
    for (let i = 0; i <= PER_SENDER; i++) turns.push(await postTwilio(env.app, '/channels/twilio/voice', voiceParams(newSid('CA'), caller, { CallStatus: 'ringing' })));
    const last = turns.at(-1)!;
    expect(last.statusCode).toBe(429);
    const said = readTwiml(last.body);
    expect(said.said).toMatch(/过于频繁/);
    expect(said.hangup).toBe(true);
  });

  it('status callbacks about our own messages are not counted against our number', async () => {
    const results = await Promise.all(
      Array.from({ length: PER_SENDER + 3 }, () =>
        postTwilio(env.app, '/channels/twilio/status', { MessageSid: newSid('SM'), MessageStatus: 'delivered', AccountSid: TWILIO.TWILIO_ACCOUNT_SID, From: TWILIO.TWILIO_NUMBER_12349, To: '+8613700137005' }),
      ),
    );
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([204]));
  });

  it('WeCom callbacks are counted per source IP (the sender is inside the ciphertext)', async () => {
    const fromTencent = await Promise.all(Array.from({ length: WECOM_PER_IP + 2 }, (_, i) => postWecom(env.app, wecomAppText(`zhang${i}`, '你好'), { remoteAddress: '101.226.103.7' })));
    expect(fromTencent.filter((r) => r.statusCode === 200)).toHaveLength(WECOM_PER_IP);
    const refused = fromTencent.find((r) => r.statusCode === 429)!;
    expect(refused.headers['content-type']).toMatch(/text\/plain/);
    expect(refused.body).toMatch(/请求过于频繁/);
    const otherIp = await postWecom(env.app, wecomAppText('li', '你好'), { remoteAddress: '101.226.103.8' });
    expect(otherIp.statusCode).toBe(200);
    await env.deps.background.idle();
  });

  it('the limiter’s Redis keys carry the configured prefix and never the caller’s number', async () => {
    const keys = await env.deps.redis.keys(`${env.config.redis.prefix}:rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/137001370|\+86/);
  });
});
