import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { twilioSignedForm } from '../fakes/sign.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';
import { openDialogState } from '../../src/privacy/sealed-state.js';

const SID = 'AC00000000000000000000000000000004';
const TOKEN = 'silence-token';
const BASE = 'https://hotline.example.org';
let env: TestEnv;
let fake: FakeTwilio;
let seq = 0;

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  // 0.01 minutes: the silence timers fire after 0.6 s, through the real BullMQ worker.
  env = await createTestEnv(
    { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_NUMBER_12349: '+8653912349', TWILIO_API_BASE_URL: fake.url, DIALOG_SILENCE_MINUTES: '0.01' },
    { workers: true },
  );
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
});

async function sms(from: string, body: string) {
  const params = { MessageSid: `SM${String(++seq).padStart(32, 'a')}`, AccountSid: SID, From: from, To: '+8653912349', Body: body, NumMedia: '0' };
  const signed = twilioSignedForm(TOKEN, `${BASE}/channels/twilio/sms`, params);
  const res = await env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: signed.headers, payload: signed.payload });
  return readTwiml(res.body).messages.join('\n');
}

async function voice(path: string, params: Record<string, string>) {
  const signed = twilioSignedForm(TOKEN, `${BASE}${path}`, params);
  const res = await env.app.inject({ method: 'POST', url: path, headers: signed.headers, payload: signed.payload });
  return readTwiml(res.body);
}

const until = async <T>(probe: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('a resident who goes quiet', () => {
  it('gets one reminder by SMS, then the partial record is saved as an incomplete case with a callback task', async () => {
    const from = '+8613600136001';
    await sms(from, '我叫李秀兰，想申请低保');
    const reminder = await until(() => Promise.resolve(fake.messages.find((m) => m.to === from)));
    expect(String(reminder.body)).toMatch(/./);
    const incomplete = await until(() => env.deps.db.case.findFirst({ where: { status: 'incomplete', applicantName: '李秀兰' } }));
    expect(incomplete.type).toBe('application');
    const callback = await until(() => env.deps.db.dutyTask.findFirst({ where: { kind: 'callback', conversationId: incomplete.conversationId } }));
    expect(callback.status).toBe('open');
    // The incomplete case's receipt is sent after the callback task is written: wait for it, then count.
    const sentToResident = await until(() => Promise.resolve(fake.messages.filter((m) => m.to === from)).then((s) => s.length >= 2 && s));
    expect(sentToResident.length).toBe(2);
  });

  it('a dropped call is continued by SMS from the same number, naming what is still missing', async () => {
    const from = '+8613600136002';
    const callSid = 'CA00000000000000000000000000000099';
    const params = { CallSid: callSid, AccountSid: SID, From: from, To: '+8653912349', CallStatus: 'in-progress' };
    const first = await voice('/channels/twilio/voice', params);
    await voice(first.gather!.action.slice(BASE.length), { ...params, SpeechResult: '我叫张桂芳，住枣园镇东鲁村，想申请低保', Confidence: '0.9' });
    // The caller hangs up; later an SMS from the same phone picks the application up.
    const resumed = await sms(from, '你好');
    expect(resumed).toMatch(/您上次的申请还差/);
    const conv = await env.deps.db.conversation.findMany({ where: { identity: { address: from } } });
    expect(conv).toHaveLength(1);
    expect(openDialogState(conv[0]!.state, env.deps.cipher)?.slots.name).toBe('张桂芳');
  });

  it('a new message makes the pending reminder moot', async () => {
    const from = '+8613600136003';
    await sms(from, '我想申请低保');
    await sms(from, '我叫王大山');
    const conv = await env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: from } } });
    const firstMsg = await env.deps.db.message.findFirstOrThrow({ where: { conversationId: conv.id, direction: 'inbound' }, orderBy: { createdAt: 'asc' } });
    // The wait armed after the first message finds a newer one: no reminder now, it waits after the newest instead.
    expect(await env.deps.silence.fire({ conversationId: conv.id, messageId: firstMsg.id, attempt: 1 })).toBe('deferred');
    const lastMsg = await env.deps.db.message.findFirstOrThrow({ where: { conversationId: conv.id, direction: 'inbound' }, orderBy: { createdAt: 'desc' } });
    expect(await env.deps.redis.get(`${env.deps.config.redis.prefix}:silence-armed:${conv.id}`)).toBe(lastMsg.id);
  });
});
