import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../src/cases/open-case.js';
import { spokenTrackingNumber, trackingNumberKind } from '../../src/domain/tracking-number.js';
import { BASE, postSms, postTwilio, smsParams, TWILIO, voiceParams } from '../helpers/channels.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';

/**
 * Tracking numbers through the running service: consecutive cases get unrelated numbers under the configured key; a
 * resident's progress lookup finds a case by its number written in groups, with spaces or in Chinese digits, by SMS
 * and on a call; a slip is pointed out before any lookup (so it is no failed guess); a number issued before still
 * finds its case.
 */
let env: TestEnv;
const numbers: string[] = [];
let senders = 0;

beforeAll(async () => {
  env = await createTestEnv({ ...TWILIO });
  for (let i = 0; i < 5; i++) {
    const opened = await openCase(
      { db: env.deps.db, cipher: env.deps.cipher, directory: env.deps.directory, tracking: env.deps.tracking, now: new Date() },
      { type: 'application', complete: false, channel: 'sms', applicant: { name: '王秀英', phone: `1380000${String(1000 + i)}`, townshipCode: 'zaoyuan', reason: '老伴瘫痪在床' }, missing: [] },
    );
    numbers.push(opened.trackingNumber);
  }
});
afterAll(() => env?.close());

async function say(from: string, body: string): Promise<string> {
  const res = await postSms(env.app, smsParams(from, body));
  expect(res.statusCode).toBe(200);
  return readTwiml(res.body).messages.join('\n');
}

const groups = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;
const chinese = (n: string) => [...n].map((d) => '零一二三四五六七八九'[Number(d)]).join('');

describe('tracking numbers issued by the service', () => {
  it('consecutive cases: numbers of the current form, the day\'s counter 1..5 behind them, never neighbours', () => {
    expect(numbers.every((n) => trackingNumberKind(n) === 'current')).toBe(true);
    const counters = numbers.map((n) => env.deps.tracking.sequenceOf(n));
    expect(counters).toEqual([1, 2, 3, 4, 5]);
    const parts = numbers.map((n) => Number(n.slice(6, 11)));
    expect(parts.slice(1).filter((p, i) => Math.abs(p - parts[i]!) === 1)).toEqual([]);
  });
});

describe('progress lookup end to end', () => {
  it.each([
    ['in groups with spaces', (n: string) => `查一下 ${groups(n)}`],
    ['with dashes', (n: string) => `编号${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}，谢谢`],
    ['in Chinese digits', (n: string) => `查询进度 ${chinese(n)}`],
  ])('SMS, %s', async (_, written) => {
    const n = numbers[1]!;
    expect(await say(`+8613900${String(10000 + ++senders)}`, written(n))).toContain(`承办编号${n}：信息还不完整`);
  });

  it('a slip is pointed out, not looked up (no failed guess counted); the right number is then found', async () => {
    const n = numbers[2]!;
    const from = '+8613900007777';
    const slip = `${n.slice(0, 9)}${n[10]}${n[9]}${n.slice(11)}`;
    expect(slip).not.toBe(n);
    const first = await say(from, `查一下 ${groups(slip)}`);
    expect(first).toContain('这个编号核对不上');
    expect(first).not.toMatch(/没有查到/);
    expect(await env.deps.db.auditEvent.count({ where: { action: 'progress.lookup_failed' } })).toBe(0);
    expect(await say(from, groups(n))).toContain(`承办编号${n}：`);
  });

  it('a number issued before the change (YYYYMMDD + sequence) still finds its case', async () => {
    const old = '202611220007';
    await env.deps.db.case.update({ where: { trackingNumber: numbers[3]! }, data: { trackingNumber: old } });
    const from = '+8613900008888';
    await say(from, '查询进度');
    expect(await say(from, '2026 1122 0007')).toContain(`承办编号${old}：`);
  });

  it('on a call: keyed, read back in three groups', async () => {
    const n = numbers[4]!;
    const sid = 'CA00000000000000000000000000tn01';
    const from = '+8613900009999';
    const first = readTwiml((await postTwilio(env.app, '/channels/twilio/voice', voiceParams(sid, from, { CallStatus: 'ringing' }))).body);
    const menu = readTwiml((await postTwilio(env.app, first.gather!.action.slice(BASE.length), voiceParams(sid, from, { Digits: '3' }))).body);
    expect(menu.said).toContain('2 6 1 2，0 7 3 4，5 1 6 3');
    const answer = readTwiml((await postTwilio(env.app, menu.gather!.action.slice(BASE.length), voiceParams(sid, from, { Digits: `${n}#` }))).body);
    expect(answer.said).toContain(`承办编号${spokenTrackingNumber(n)}`);
  });
});
