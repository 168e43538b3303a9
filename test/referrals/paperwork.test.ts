import { describe, expect, it } from 'vitest';
import type { Referral } from '../../src/generated/prisma/client.js';
import { progressOf } from '../../src/cases/progress.js';
import { instantAt } from '../../src/referrals/clock/zone.js';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import { recordFollowUp } from '../../src/referrals/follow-up.js';
import { answerReferral, signReferral } from '../../src/referrals/progress.js';
import { readReferral } from '../../src/staff/referral-view.js';
import { listReferrals } from '../../src/staff/worklist.js';
import { HOUR, makeReferral, sentTo, timerStates, useHarness, useStaff } from '../jobs/harness.js';

// The aid is given on the eve of National Day, so the paperwork's five working days run across the holiday.
const START = '2026-09-29T10:00:00+08:00';
const AID_ANSWERED = '2026-09-30T15:00:00+08:00';
const TZ = 'Asia/Shanghai';
const LADDER = ['reminder', 'urge', 'supervise'] as const;

const h = useHarness({ start: START });
const clerk = useStaff(h, 'township_staff');

const db = () => h.env.deps.db;
/** `date` at 15:00 local, the time of day the aid was answered. */
const at15 = (date: string) => instantAt(date, 15 * HOUR, TZ);
const events = (referralId: string, action: string) => db().auditEvent.count({ where: { referralId, action } });
/** SMS bodies the fake Twilio took for one resident. */
const smsTo = (phone: string) => h.twilio.messages.filter((m) => m.to === `+86${phone}`).map((m) => String(m.body));

/** An emergency's aid-first referral for `township`, signed, then answered (aid given) at `answeredAt`. */
async function aidGiven(township: string, phone: string, answeredAt = AID_ANSWERED): Promise<{ aid: Referral; paperwork: Referral }> {
  h.clock.set(START);
  const unit = { kind: 'township' as const, code: township };
  const created = await makeReferral(h, { category: 'temporary', role: 'assist', step: 'aid_first', unit }, { urgent: true, phone, townshipCode: township });
  await signReferral(h.deps, { trackingNumber: created.trackingNumber, actor: clerk, now: h.clock.now() });
  h.clock.set(answeredAt);
  const aid = await answerReferral(h.deps, {
    trackingNumber: created.trackingNumber,
    actor: clerk,
    now: h.clock.now(),
    feedback: { result: '已发放临时救助金2000元', handler: '张伟' },
  });
  return { aid, paperwork: await db().referral.findUniqueOrThrow({ where: { followsId: aid.id } }) };
}

describe('aid given first leaves the paperwork (补办手续) owed on a clock of its own', () => {
  it('a resident asking for progress is not given the paperwork deadline as the next date', async () => {
    const { aid } = await aidGiven('zaoyuan', '13800000009');
    const c = await db().case.findUniqueOrThrow({ where: { id: aid.caseId } });
    const [progress] = await progressOf(h.env.deps, { trackingNumber: c.trackingNumber });
    expect(progress).toMatchObject({ trackingNumber: c.trackingNumber });
    expect(progress!.nextDate).toBeUndefined();
  });


  it('opens one paperwork referral for the same unit and case, signed by the answerer, due 5 working days later across National Day', async () => {
    const { aid, paperwork: p } = await aidGiven('yitang', '13800000001');
    const answeredAt = new Date(AID_ANSWERED);
    expect(h.env.deps.directory.directory.timeLimits.emergencyPaperwork).toEqual({ workingDays: 5 });
    const dueDay = h.deps.calendar.addWorkingDays('2026-09-30', 5);
    expect(dueDay > '2026-10-08').toBe(true); // 10-01..10-07 are holidays
    const dueAt = at15(dueDay);
    expect(p).toMatchObject({
      caseId: aid.caseId,
      trackingNumber: aid.trackingNumber.replace(/-1$/, '-2'),
      step: 'paperwork',
      category: 'temporary',
      role: 'assist',
      unitKind: 'township',
      townshipId: aid.townshipId,
      status: 'signed',
      urgent: false,
      dispatchedAt: answeredAt,
      signedAt: answeredAt,
      signedById: clerk.id,
      followsId: aid.id,
      dueAt,
    });

    // The ladder as timer rows and delayed jobs: no duty step (signed), no follow-up question (not the resident's).
    const timers = await timerStates(h, p.id);
    expect(Object.keys(timers).sort()).toEqual(['reminder', 'supervise', 'urge']);
    expect(timers).toMatchObject({
      reminder: { state: 'pending', dueAt: new Date(answeredAt.getTime() + 0.75 * (dueAt.getTime() - answeredAt.getTime())) },
      urge: { state: 'pending', dueAt },
      supervise: { state: 'pending', dueAt: at15(h.deps.calendar.addWorkingDays(dueDay, 1)) },
    });
    for (const step of LADDER) expect(await (await h.jobs.queues.timers.getJob(timerJobId(p.id, step)))?.getState()).toBe('delayed');

    // Traceable both ways: the aid's answer names the paperwork, the paperwork's dispatch names the aid and the signer.
    const answer = await db().auditEvent.findFirstOrThrow({ where: { referralId: aid.id, action: 'referral.answer' } });
    expect(answer.after).toMatchObject({ status: 'answered', paperwork: p.trackingNumber });
    const dispatched = await db().auditEvent.findFirstOrThrow({ where: { referralId: p.id, action: 'referral.dispatched' } });
    expect(dispatched).toMatchObject({ actorType: 'staff', actorId: clerk.id, after: { step: 'paperwork', follows: aid.trackingNumber, signedById: clerk.id } });

    // On the township's worklist as its own open work, to be answered, not signed.
    const staff = { id: clerk.id, name: '义堂镇经办人', role: 'township_staff' as const, townshipId: aid.townshipId, agencyId: null };
    const list = await listReferrals(h.env.deps, staff, { status: 'open' }, h.clock.now());
    expect(list.items.filter((i) => i.caseTrackingNumber === aid.trackingNumber.replace(/-1$/, ''))).toEqual([
      expect.objectContaining({ trackingNumber: p.trackingNumber, step: 'paperwork', stepLabel: '补办手续', statusLabel: '已签收' }),
    ]);
    const view = await readReferral(h.env.deps, staff, p.trackingNumber, h.clock.now());
    expect(view.actions).toMatchObject({ sign: false, answer: true });

    await h.jobs.settle();
    const announced = sentTo(h, 'yitang01').filter((m) => m.content.includes(p.trackingNumber));
    expect(announced).toHaveLength(1);
    expect(announced[0]!.content).toMatch(/补办手续[\s\S]*已由本单位签收/);
    // The resident hears about the aid, once, and nothing about the paperwork.
    expect(smsTo('13800000001')).toEqual([expect.stringContaining(aid.trackingNumber)]);
  });

  it('climbs its ladder one step at a time, each step exactly once, while the resident is asked about the aid only', async () => {
    const { aid, paperwork: p } = await aidGiven('liguan', '13800000002');
    const timers = await timerStates(h, p.id);
    for (const step of LADDER) {
      h.clock.set(timers[step]!.dueAt);
      await h.jobs.fireDue();
      await h.jobs.queues.timers.add('timer.fire', { referralId: p.id, step }, { jobId: timerJobId(p.id, step) }); // a duplicate job
      await h.jobs.fireDue();
      expect(await events(p.id, `referral.timer.${step}`)).toBe(1);
    }
    await h.jobs.settle();
    const toUnit = sentTo(h, 'liguan01').filter((m) => m.content.includes(p.trackingNumber));
    expect(toUnit).toHaveLength(3);
    for (const kind of ['【转办件】', '【到期提醒】', '【催办】']) expect(toUnit.filter((m) => m.content.startsWith(kind))).toHaveLength(1);
    expect(sentTo(h, 'window01').filter((m) => m.content.startsWith('【督办】') && m.content.includes(p.trackingNumber))).toHaveLength(1);
    const tasks = await db().dutyTask.findMany({ where: { caseId: p.caseId, kind: 'escalation' } });
    expect(tasks.map((t) => t.reason)).toEqual([expect.stringContaining(p.trackingNumber)]);
    expect(Object.values(await timerStates(h, p.id)).map((t) => t.state)).toEqual(['fired', 'fired', 'fired']);
    expect((await db().referral.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('signed');

    // The aid's follow-up question came due in between: one question, about the aid.
    const sms = smsTo('13800000002');
    expect(sms).toHaveLength(2);
    expect(sms.filter((b) => /满意/.test(b))).toEqual([expect.stringContaining(aid.trackingNumber)]);
    expect(sms.some((b) => b.includes(p.trackingNumber))).toBe(false);
  });

  it('stops its ladder once answered (paperwork complete), with no message to the resident and no follow-up', async () => {
    const { paperwork: p } = await aidGiven('fangcheng', '13800000003');
    const timers = await timerStates(h, p.id);
    h.clock.set('2026-10-09T10:00:00+08:00');
    const done = await answerReferral(h.deps, { trackingNumber: p.trackingNumber, actor: clerk, now: h.clock.now(), feedback: { result: '审批手续已补齐', handler: '张伟' } });
    expect(done).toMatchObject({ status: 'answered', answeredAt: h.clock.now(), feedbackResult: '审批手续已补齐' });
    expect(await timerStates(h, p.id)).toEqual({
      reminder: { state: 'cancelled', dueAt: timers.reminder!.dueAt },
      urge: { state: 'cancelled', dueAt: timers.urge!.dueAt },
      supervise: { state: 'cancelled', dueAt: timers.supervise!.dueAt },
    });
    for (const step of LADDER) expect(await h.jobs.queues.timers.getJob(timerJobId(p.id, step))).toBeUndefined();
    expect(await db().referral.count({ where: { caseId: p.caseId } })).toBe(2); // answering the paperwork opens nothing more

    // Well past where supervision would have come: nothing fires for it, and the resident heard only about the aid.
    h.clock.set(new Date(timers.supervise!.dueAt.getTime() + 24 * HOUR));
    await h.jobs.fireDue();
    expect(await db().auditEvent.count({ where: { referralId: p.id, action: { startsWith: 'referral.timer.' } } })).toBe(0);
    expect(sentTo(h, 'fangcheng01').filter((m) => m.content.includes(p.trackingNumber))).toHaveLength(1); // the announcement
    expect(await db().message.count({ where: { idempotencyKey: { startsWith: `referral.${p.id}.answer` } } })).toBe(0);
    expect(smsTo('13800000003').some((b) => b.includes(p.trackingNumber))).toBe(false);
  });

  it('opens one paperwork referral however often the aid is answered: at once, again, or after a reopen', async () => {
    h.clock.set(START);
    const unit = { kind: 'township' as const, code: 'wanggou' };
    const created = await makeReferral(h, { category: 'temporary', step: 'aid_first', unit }, { urgent: true, phone: '13800000004', townshipCode: 'wanggou' });
    await signReferral(h.deps, { trackingNumber: created.trackingNumber, actor: clerk, now: h.clock.now() });
    const answer = (result: string) =>
      answerReferral(h.deps, { trackingNumber: created.trackingNumber, actor: clerk, now: h.clock.now(), feedback: { result, handler: '张伟' } });
    const paperworkCount = () => db().referral.count({ where: { caseId: created.caseId, step: 'paperwork' } });

    const both = await Promise.allSettled([answer('已发放救助金'), answer('已发放救助金')]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'invalid_transition' } });
    await expect(answer('已发放救助金')).rejects.toMatchObject({ code: 'invalid_transition' });
    expect(await paperworkCount()).toBe(1);

    // The resident was not satisfied with the aid: reopened and answered again, the paperwork is already owed.
    await recordFollowUp(h.deps, { trackingNumber: created.trackingNumber, satisfied: false, actor: { type: 'resident' }, now: h.clock.now() });
    h.clock.advance(2 * HOUR);
    expect(await answer('已补发救助金')).toMatchObject({ status: 'answered', reopenCount: 1 });
    expect(await paperworkCount()).toBe(1);
    expect(await db().referral.count({ where: { caseId: created.caseId } })).toBe(2);
    const answers = await db().auditEvent.findMany({ where: { referralId: created.id, action: 'referral.answer' }, orderBy: { id: 'asc' } });
    expect(answers.map((e) => (e.after as { paperwork?: string }).paperwork)).toEqual([created.trackingNumber.replace(/-1$/, '-2'), undefined]);
  });

  it('gets its timers back from PostgreSQL when Redis lost them, and fires the overdue ones once', async () => {
    const { paperwork: p } = await aidGiven('bancheng', '13800000005');
    const timers = await timerStates(h, p.id);
    const lose = () => Promise.all(LADDER.map((step) => h.jobs.queues.timers.remove(timerJobId(p.id, step))));
    const job = (step: (typeof LADDER)[number]) => h.jobs.queues.timers.getJob(timerJobId(p.id, step));

    await lose();
    for (const step of LADDER) expect(await job(step)).toBeUndefined();
    await h.jobs.rebuildTimers();
    for (const step of LADDER) {
      const back = await job(step);
      expect(await back?.getState()).toBe('delayed');
      expect(Math.abs(back!.delay - (timers[step]!.dueAt.getTime() - h.clock.now().getTime()))).toBeLessThan(1000);
    }

    // Lost again while the reminder and the urge came due: the sweep fires both, once.
    await lose();
    h.clock.set(timers.urge!.dueAt);
    await h.jobs.rebuildTimers();
    await h.jobs.settle();
    await h.jobs.rebuildTimers();
    await h.jobs.settle();
    expect(await events(p.id, 'referral.timer.reminder')).toBe(1);
    expect(await events(p.id, 'referral.timer.urge')).toBe(1);
    expect(await timerStates(h, p.id)).toMatchObject({ reminder: { state: 'fired' }, urge: { state: 'fired' }, supervise: { state: 'pending' } });
    expect(await (await job('supervise'))?.getState()).toBe('delayed');
  });
});
