import { describe, expect, it } from 'vitest';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import { recordFollowUp } from '../../src/referrals/follow-up.js';
import { mergeReferral } from '../../src/referrals/merge.js';
import type { Actor } from '../../src/referrals/ports.js';
import { answerReferral, signReferral, startReferral } from '../../src/referrals/progress.js';
import { DAY, makeReferral, sentTo, timerStates, useHarness, useStaff } from '../jobs/harness.js';

const PHONE = '13812345678';
const at = (iso: string) => new Date(iso);
const feedback = { result: '已审核通过，自12月起每月发放低保金', handler: '李明' };

const h = useHarness();
const clerk = useStaff(h, 'agency_staff', 'minzheng01');
const supervisor = useStaff(h, 'supervisor', 'window01');
const resident: Actor = { type: 'resident' };

const now = () => h.clock.now();
const minzheng = { kind: 'agency' as const, code: 'minzheng' };

async function answered(c: Parameters<typeof makeReferral>[2] = { phone: PHONE }) {
  const r = await makeReferral(h, { unit: minzheng }, c);
  await signReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
  await startReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
  return answerReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now(), feedback });
}

describe('the main path: sign → start → answer → follow-up satisfied → closed', () => {
  it('moves through each status, tells the resident by SMS, asks the follow-up question and records every step', async () => {
    const { db } = h.env.deps;
    const r = await makeReferral(h, { unit: minzheng }, { phone: PHONE });
    const tn = r.trackingNumber;

    const signed = await signReferral(h.deps, { trackingNumber: tn, actor: clerk, now: now() });
    expect(signed).toMatchObject({ status: 'signed', signedAt: now(), signedById: (clerk as { id: string }).id });
    const started = await startReferral(h.deps, { trackingNumber: tn, actor: clerk, now: now() });
    expect(started).toMatchObject({ status: 'in_progress', startedAt: now() });

    h.clock.advance(3 * DAY);
    const answeredAt = now(); // Thu 2026-11-05 09:00
    const a = await answerReferral(h.deps, { trackingNumber: tn, actor: clerk, now: answeredAt, feedback });
    expect(a).toMatchObject({ status: 'answered', answeredAt, feedbackResult: feedback.result, feedbackHandler: '李明', feedbackDate: answeredAt });
    const timers = await timerStates(h, r.id);
    expect(timers).toMatchObject({
      reminder: { state: 'cancelled' },
      urge: { state: 'cancelled' },
      supervise: { state: 'cancelled' },
      follow_up: { state: 'pending', dueAt: at('2026-11-06T09:00:00+08:00') },
    });
    expect(await h.jobs.queues.timers.getJob(timerJobId(r.id, 'urge'))).toBeUndefined();

    await h.jobs.settle();
    expect(h.twilio.messages).toHaveLength(1);
    expect(h.twilio.messages[0]).toMatchObject({ to: '+8613812345678', from: '+8653912349' });
    expect(h.twilio.messages[0]!.body).toContain(tn);
    expect(h.twilio.messages[0]!.body).toContain(feedback.result);

    h.clock.set('2026-11-06T09:00:00+08:00');
    expect(await h.jobs.fireDue()).toBe(1);
    expect(h.twilio.messages).toHaveLength(2);
    expect(h.twilio.messages[1]!.body).toMatch(/满意.*不满意/);

    const closed = await recordFollowUp(h.deps, { trackingNumber: tn, satisfied: true, actor: resident, now: now() });
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 'satisfied', closedAt: now() });
    expect(Object.values(await timerStates(h, r.id)).map((t) => t.state)).not.toContain('pending');

    const audit = await db.auditEvent.findMany({ where: { referralId: r.id }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual([
      'referral.dispatched',
      'referral.sign',
      'referral.start',
      'referral.answer',
      'referral.timer.follow_up',
      'referral.follow_up_satisfied',
    ]);
    expect(audit[1]).toMatchObject({ actorType: 'staff', before: { status: 'dispatched', signedAt: null }, after: { status: 'signed' } });
    const outbound = await db.message.findMany({ where: { direction: 'outbound', channel: 'sms' } });
    expect(outbound.map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(outbound.every((m) => !m.text.includes(PHONE))).toBe(true);
    h.clock.set('2026-11-02T09:00:00+08:00');
  });

  it('answers a resident who wrote through WeChat customer service on that channel', async () => {
    const kf = { externalUserId: 'wmResidentExternal01', openKfId: 'wkHotlineKf01' };
    const a = await answered({ kf });
    await h.jobs.settle();
    const reply = h.wecom.sent.filter((m) => m.api === 'kf/send_msg');
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatchObject({ toUser: kf.externalUserId, openKfId: kf.openKfId });
    expect(reply[0]!.content).toContain(a.trackingNumber);
  });
});

describe('a follow-up answered "not satisfied" reopens the referral', () => {
  it('puts it back in progress with a fresh deadline and ladder, a supervision task and a WeCom note to the county window', async () => {
    const a = await answered();
    await h.jobs.settle();
    const before = sentTo(h, 'window01').length;
    const reopened = await recordFollowUp(h.deps, { trackingNumber: a.trackingNumber, satisfied: false, note: '钱还没到账', actor: resident, now: now() });
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, satisfaction: 'not_satisfied', satisfactionNote: '钱还没到账', answeredAt: null });
    expect(reopened.dueAt).toEqual(at('2026-11-30T09:00:00+08:00'));
    const timers = await timerStates(h, a.id);
    expect(timers).toMatchObject({ urge: { state: 'pending', dueAt: reopened.dueAt }, reminder: { state: 'pending' }, supervise: { state: 'pending' }, follow_up: { state: 'cancelled' } });
    expect(await (await h.jobs.queues.timers.getJob(timerJobId(a.id, 'urge')))?.getState()).toBe('delayed');
    const task = await h.env.deps.db.dutyTask.findFirstOrThrow({ where: { caseId: a.caseId } });
    expect(task).toMatchObject({ kind: 'escalation', status: 'open' });
    expect(task.reason).toContain(a.trackingNumber);
    await h.jobs.settle();
    const notes = sentTo(h, 'window01').slice(before);
    expect(notes.map((m) => m.content)).toEqual([expect.stringMatching(/^【重办】.*第 1 次/)]);

    // Answered again: a new result message and a new follow-up, under new keys.
    const again = await answerReferral(h.deps, { trackingNumber: a.trackingNumber, actor: clerk, now: now(), feedback: { ...feedback, result: '已补发两个月低保金' } });
    expect(again.status).toBe('answered');
    expect((await timerStates(h, a.id)).follow_up).toMatchObject({ state: 'pending' });
    await h.jobs.settle();
    expect(h.twilio.messages.filter((m) => String(m.body).includes('已补发两个月低保金'))).toHaveLength(1);
  });
});

describe('merge (并单)', () => {
  it('folds a duplicate into the referral that carries on and stops its clock', async () => {
    const dup = await makeReferral(h, { unit: minzheng });
    const keep = await makeReferral(h, { unit: minzheng });
    const merged = await mergeReferral(h.deps, { trackingNumber: dup.trackingNumber, intoTrackingNumber: keep.trackingNumber, actor: supervisor, now: now() });
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: keep.id });
    expect(Object.values(await timerStates(h, dup.id)).map((t) => t.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await h.jobs.queues.timers.getJob(timerJobId(dup.id, 'reminder'))).toBeUndefined();
    const trail = await h.env.deps.db.auditEvent.findFirstOrThrow({ where: { referralId: keep.id, action: 'referral.merged_from' } });
    expect(trail.after).toEqual({ mergedFrom: dup.trackingNumber });
  });

  it('refuses to merge a referral into itself or into one that is finished', async () => {
    const a = await makeReferral(h, { unit: minzheng });
    await expect(mergeReferral(h.deps, { trackingNumber: a.trackingNumber, intoTrackingNumber: a.trackingNumber, actor: supervisor, now: now() })).rejects.toMatchObject({
      code: 'merge_into_itself',
    });
    const done = await answered();
    await recordFollowUp(h.deps, { trackingNumber: done.trackingNumber, satisfied: true, actor: resident, now: now() });
    await expect(mergeReferral(h.deps, { trackingNumber: a.trackingNumber, intoTrackingNumber: done.trackingNumber, actor: supervisor, now: now() })).rejects.toMatchObject({
      code: 'merge_target_finished',
      status: 409,
    });
    expect((await h.env.deps.db.referral.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('dispatched');
  });
});
