import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { twilioSignedForm } from '../fakes/sign.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { query, ADMIN_URL } from '../helpers/pg.js';
import { readTwiml } from '../helpers/twiml.js';

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-test-auth-token';
const OUR_NUMBER = '+8653912349';
let env: TestEnv;
let fake: FakeTwilio;
let seq = 0;

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  env = await createTestEnv({
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_NUMBER_12349: OUR_NUMBER,
    TWILIO_API_BASE_URL: fake.url,
    SPOOL_DIR: await mkdtemp(join(tmpdir(), 'spool-')),
  });
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
});

const sms = (from: string, body: string, sid = `SM${String(++seq).padStart(32, '0')}`) => ({
  MessageSid: sid,
  AccountSid: SID,
  From: from,
  To: OUR_NUMBER,
  Body: body,
  NumMedia: '0',
});

function post(params: Record<string, string>, opts: { sign?: boolean; url?: string } = {}) {
  const signed = twilioSignedForm(TOKEN, opts.url ?? 'https://hotline.example.org/channels/twilio/sms', params);
  const headers: Record<string, string> = { ...signed.headers };
  if (opts.sign === false) delete headers['x-twilio-signature'];
  return env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers, payload: signed.payload });
}

const inboundCount = (providerId: string) => env.deps.db.message.count({ where: { channel: 'sms', direction: 'inbound', providerId } });

describe('Twilio SMS webhook', () => {
  it('stores the message and answers with the dialog reply in TwiML', async () => {
    const params = sms('+8613800138001', '你好');
    const res = await post(params);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    const { messages } = readTwiml(res.body);
    expect(messages.join('')).toMatch(/1 紧急求助/);
    await env.deps.background.idle();
    const stored = await env.deps.db.message.findFirstOrThrow({ where: { providerId: params.MessageSid } });
    expect(stored).toMatchObject({ direction: 'inbound', status: 'processed', text: '你好', sender: '+8613800138001' });
    const out = await env.deps.db.message.findMany({ where: { conversationId: stored.conversationId, direction: 'outbound' } });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ status: 'sent', recipient: '+8613800138001' });
  });

  it('refuses a forged or missing signature with 403 and stores nothing', async () => {
    const forged = sms('+8613800138002', '伪造');
    const signed = twilioSignedForm('wrong-token', 'https://hotline.example.org/channels/twilio/sms', forged);
    const res = await env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: signed.headers, payload: signed.payload });
    expect(res.statusCode).toBe(403);
    const missing = await post(sms('+8613800138002', '没签名'), { sign: false });
    expect(missing.statusCode).toBe(403);
    // Signed for another URL (e.g. replayed against a different endpoint).
    const elsewhere = await post(sms('+8613800138002', '别处'), { url: 'https://evil.example.org/channels/twilio/sms' });
    expect(elsewhere.statusCode).toBe(403);
    expect(await env.deps.db.message.count({ where: { sender: '+8613800138002' } })).toBe(0);
    expect(env.logs.join('')).toMatch(/twilio_bad_signature/);
  });

  it('a message delivered three times at once is stored once, stepped once, and every delivery gets the same answer', async () => {
    const params = sms('+8613800138003', '我想申请低保');
    const results = await Promise.all([post(params), post(params), post(params)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const first = readTwiml(results[0]!.body).messages;
    expect(first.length).toBeGreaterThan(0);
    expect(results.map((r) => r.body)).toEqual([results[0]!.body, results[0]!.body, results[0]!.body]);
    expect(await inboundCount(params.MessageSid)).toBe(1);
    const conv = await env.deps.db.conversation.findMany({ where: { identity: { address: '+8613800138003' } }, include: { messages: true } });
    expect(conv).toHaveLength(1);
    expect(conv[0]!.messages.filter((m) => m.direction === 'outbound').length).toBe(first.length);
  });

  it('marks a reply sent only once the response carrying it has gone out; until then it is in_response', async () => {
    const params = sms('+8613800138010', '你好');
    // The turn alone (as inside the webhook, before the response is written): stored, not yet sent.
    const msg = { channel: 'sms' as const, providerId: params.MessageSid, sender: params.From, recipient: OUR_NUMBER, text: '你好', media: [], receivedAt: new Date(), raw: {} };
    const result = await env.deps.intake.accept(msg, 'in_response');
    if (result.kind !== 'replied') throw new Error(`expected a reply, got ${result.kind}`);
    const outbound = () => env.deps.db.message.findMany({ where: { id: { in: result.outboundIds } } });
    expect((await outbound()).map((m) => m.status)).toEqual(result.outboundIds.map(() => 'in_response'));
    // Twilio asks again (it never got our answer): the same replies, from storage, and now they are sent.
    const again = await post(params);
    expect(readTwiml(again.body).messages).toEqual(result.replies.map((r) => r.text));
    await env.deps.background.idle();
    expect((await outbound()).map((m) => m.status)).toEqual(result.outboundIds.map(() => 'sent'));
  });

  it('a reply whose response never went out, and that no redelivery asked for, is sent through the API', async () => {
    const msg = { channel: 'sms' as const, providerId: `SM${'9'.repeat(32)}`, sender: '+8613800138011', recipient: OUR_NUMBER, text: '你好', media: [], receivedAt: new Date(), raw: {} };
    const result = await env.deps.intake.accept(msg, 'in_response');
    if (result.kind !== 'replied') throw new Error(`expected a reply, got ${result.kind}`);
    await env.deps.background.idle();
    const before = fake.messages.length;
    // Younger than the grace period: left alone (its response may still be on the wire).
    expect((await env.deps.intake.recover(15_000)).requeued).toBeUndefined();
    expect((await env.deps.intake.recover(15_000, 0)).requeued).toBe(result.outboundIds.length);
    expect(fake.messages.slice(before).map((m) => m.body)).toEqual(result.replies.map((r) => r.text));
    expect((await env.deps.db.message.findMany({ where: { id: { in: result.outboundIds } } })).every((m) => m.status === 'sent')).toBe(true);
  });

  it('answers an empty body and a media-only message sensibly', async () => {
    const empty = await post(sms('+8613800138004', ''));
    expect(empty.statusCode).toBe(200);
    expect(readTwiml(empty.body).messages.length).toBeGreaterThan(0);
    const media = await post({ ...sms('+8613800138005', ''), NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/ME1', MediaContentType0: 'image/jpeg' });
    expect(media.statusCode).toBe(200);
    const row = await env.deps.db.message.findFirstOrThrow({ where: { sender: '+8613800138005' } });
    expect(row.media).toEqual([{ type: 'image/jpeg', ref: 'https://api.twilio.com/media/ME1' }]);
  });

  it('answers malformed parameters with 400, not a crash', async () => {
    const res = await post({ From: '+8613800138006', Body: 'no sid' });
    expect(res.statusCode).toBe(400);
  });

  it('keeps a message that arrives while PostgreSQL is down and answers it once the database is back', async () => {
    const name = new URL(env.databaseUrl).pathname.slice(1);
    await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await query(ADMIN_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    const params = sms('+8613800138007', '家里没饭吃了');
    let res;
    try {
      res = await post(params);
    } finally {
      await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    expect(res.statusCode).toBe(200);
    expect(readTwiml(res.body).messages.join('')).toMatch(/消息已收到/);
    expect(await inboundCount(params.MessageSid)).toBe(0);

    const before = fake.messages.length;
    const recovered = await env.deps.intake.recover();
    expect(recovered.spooled).toBe(1);
    expect(await inboundCount(params.MessageSid)).toBe(1);
    const sent = fake.messages.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]).toMatchObject({ to: '+8613800138007', from: OUR_NUMBER });
    // Replayed again (e.g. a second drain): still exactly one stored message and no more SMS.
    await env.deps.intake.recover();
    expect(await inboundCount(params.MessageSid)).toBe(1);
    expect(fake.messages.length).toBe(before + sent.length);
  });
});
