import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';
import { postSms, smsParams, TWILIO } from '../helpers/channels.js';
import { applicationTurns, residents, trackingNumberIn } from '../helpers/residents.js';

/** A Redis logical database of this file's own, so emptying it touches nobody else's keys. */
const REDIS_DB = 9;
const RESIDENTS = 24;
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv({ ...TWILIO, REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}` });
});
afterAll(() => env?.close());

describe('Redis emptied while 24 residents are mid-application', () => {
  it('stores every message and finishes every application from the PostgreSQL copy of the dialog state', async () => {
    const people = residents(RESIDENTS, 11);
    const sent = new Map<string, string[]>();
    const say = async (phone: string, text: string) => {
      const res = await postSms(env.app, smsParams(phone, text));
      expect(res.statusCode, `${text} → ${res.body}`).toBe(200);
      const out = readTwiml(res.body).messages.join('\n');
      sent.set(phone, [...(sent.get(phone) ?? []), out]);
      return out;
    };
    const turn = (i: number) => Promise.all(people.map((r) => say(r.phone, applicationTurns(r)[i]!)));

    await turn(0);
    await turn(1);
    // The third turn is in flight for everyone when Redis loses every key (sessions, locks, queues, limits).
    const third = turn(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(await env.deps.redis.flushdb()).toBe('OK');
    await third;
    expect(await env.deps.redis.dbsize()).toBeLessThan(1000);
    const last = applicationTurns(people[0]!).length - 1;
    for (let i = 3; i < last; i++) await turn(i);
    const receipts = await turn(last);

    const phones = people.map((r) => r.phone);
    expect(await env.deps.db.message.count({ where: { direction: 'inbound', sender: { in: phones } } })).toBe(RESIDENTS * (last + 1));
    expect(await env.deps.db.message.count({ where: { direction: 'inbound', sender: { in: phones }, status: { not: 'processed' } } })).toBe(0);
    // Resumed, not restarted: every resident reached the receipt with a tracking number and one case.
    const numbers = receipts.map(trackingNumberIn);
    expect(numbers.filter(Boolean)).toHaveLength(RESIDENTS);
    expect(new Set(numbers).size).toBe(RESIDENTS);
    expect(await env.deps.db.case.count({ where: { phone: { in: people.map((r) => r.digits) } } })).toBe(RESIDENTS);
  });

  it('a session lost from Redis and stale in nothing else resumes; a damaged copy falls back to a safe prompt', async () => {
    const [r] = residents(1, 12);
    const turns = applicationTurns(r!);
    await postSms(env.app, smsParams(r!.phone, turns[0]!));
    const conv = await env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: r!.phone } } });
    // Both copies damaged (e.g. written by an older version): the resident is not left without an answer.
    await env.deps.redis.flushdb();
    await env.deps.db.conversation.update({ where: { id: conv.id }, data: { state: { version: -1, nonsense: true } } });
    const res = await postSms(env.app, smsParams(r!.phone, turns[1]!));
    expect(res.statusCode).toBe(200);
    expect(readTwiml(res.body).messages.join('')).toMatch(/紧急求助|请问/);
  });
});
