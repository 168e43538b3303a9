import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../src/cases/open-case.js';
import { lookupProgress } from '../../src/cases/progress.js';
import { postSms, smsParams, TWILIO } from '../helpers/channels.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';

/**
 * Progress by phone + the last 4 characters of the ID number: someone holding only the phone must not be able to
 * guess their way in. Failures are counted per sender and per case in Redis, each one audited; at the limit the
 * resident is told to call the hotline, and even the right answer is refused until the window passes.
 */
let env: TestEnv;
const VICTIM = '+8613800001234';
const ID = '11010519491231002X';

beforeAll(async () => {
  env = await createTestEnv({ ...TWILIO, PROGRESS_LOOKUP_MAX_FAILURES: '3', PROGRESS_LOOKUP_WINDOW_HOURS: '2' });
  await openCase(
    { db: env.deps.db, cipher: env.deps.cipher, directory: env.deps.directory, tracking: env.deps.tracking, now: new Date() },
    {
      type: 'application',
      complete: false,
      channel: 'sms',
      applicant: { name: '王秀英', idNumber: ID, phone: VICTIM.slice(3), townshipCode: 'zaoyuan', reason: '老伴瘫痪在床' },
      missing: [],
    },
  );
});
afterAll(() => env?.close());

async function say(from: string, body: string): Promise<string> {
  const res = await postSms(env.app, smsParams(from, body));
  expect(res.statusCode).toBe(200);
  return readTwiml(res.body).messages.join('\n');
}

/** Asks for progress by the calling phone and guesses the last 4. */
async function guess(from: string, last4: string): Promise<string> {
  await say(from, '查询进度');
  await say(from, '没有');
  return say(from, last4);
}

const audits = (action: string) => env.deps.db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } });

describe('progress lookup by phone + last 4 of the ID', () => {
  it('finds the case with the right last 4', async () => {
    expect(await guess(VICTIM, '002X')).toMatch(/承办编号\d{12}/);
  });

  it('wrong guesses are audited; at the limit the resident is told to call the hotline, and the right answer is refused too', async () => {
    const from = '+8613800001234';
    for (const wrong of ['0011', '0022']) expect(await guess(from, wrong)).toMatch(/没有查到/);
    const third = await guess(from, '0033');
    expect(third).toMatch(/自助查询已暂停/);
    expect(third).toContain('12349');
    expect(third).not.toMatch(/没有查到/);
    const after = await guess(from, '002X');
    expect(after).toMatch(/自助查询已暂停/);
    expect(after).not.toMatch(/承办编号\d{12}/);

    const failed = await audits('progress.lookup_failed');
    expect(failed).toHaveLength(3);
    expect(failed.map((a) => (a.after as { senderFailures: number }).senderFailures)).toEqual([1, 2, 3]);
    expect(failed.every((a) => a.actorType === 'resident' && a.caseId !== null)).toBe(true);
    // The audit names the phone masked, never the guesses or the number in full.
    expect(JSON.stringify(failed.map((a) => a.after))).not.toContain('13800001234');
    expect(await audits('progress.lookup_blocked')).toHaveLength(1);

    // The counters expire with the window (2 hours here), so the block is not for ever.
    const keys = await env.deps.redis.keys(`${env.config.redis.prefix}:progress-fail:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) {
      const ttl = await env.deps.redis.ttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * 3600);
    }
  });

  it('the case itself is locked: another sender guessing at the same phone is blocked at once', async () => {
    const deps = { db: env.deps.db, directory: env.deps.directory, redis: env.deps.redis, redisPrefix: env.config.redis.prefix, limits: env.config.progressLookup };
    const other = { identityId: '0190f000-0000-7000-8000-000000000001', conversationId: '0190f000-0000-7000-8000-000000000002' };
    expect(await lookupProgress(deps, other, { phone: '13800001234', idLast4: '002X' }, new Date())).toEqual({ kind: 'blocked' });
    // A case on another phone is still found by anyone.
    expect((await lookupProgress(deps, other, { phone: '13999999999', idLast4: '0000' }, new Date())).kind).toBe('not_found');
  });

  it('a sender guessing tracking numbers is limited the same way', async () => {
    const from = '+8613900002222';
    for (let i = 1; i <= 2; i++) expect(await say(from, `查一下 20260101000${i}`)).toMatch(/没有查到/);
    expect(await say(from, '查一下 202601010003')).toMatch(/自助查询已暂停/);
  });
});
