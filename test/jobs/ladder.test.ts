import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import { fireTimerStep } from '../../src/referrals/escalate.js';
import { signReferral } from '../../src/referrals/progress.js';
import { HOUR, makeReferral, makeStaff, sentTo, staffActor, startHarness, timerStates, type Harness } from './harness.js';

const START = '2026-11-02T09:00:00+08:00';
let h: Harness;
// Short locks and stall checks, so a killed worker's job moves on within a second (the stall check is shared by
// every worker of a queue, so all of them use the short interval).
beforeAll(async () => {
  h = await startHarness({ start: START, jobs: { lockDurationMs: 1000, stalledIntervalMs: 300 } });
  await makeStaff(h, 'duty_officer', 'duty01');
});
afterAll(async () => {
  await h?.close();
});

const db = () => h.env.deps.db;
const stepEvents = (referralId: string, step: string) => db().auditEvent.count({ where: { referralId, action: `referral.timer.${step}` } });

describe('the escalation ladder fires each step once', () => {
  it('reminds the assignee, urges assignee and head, supervises with a dashboard task, each exactly once despite duplicate jobs', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { category: 'medical', unit: { kind: 'agency', code: 'yibao' } });
    await h.jobs.settle();
    const timers = await timerStates(h, r.id);
    const add = () => h.jobs.queues.timers.add('timer.fire', { referralId: r.id, step: 'reminder' }, { jobId: timerJobId(r.id, 'reminder') });

    h.clock.set(timers.reminder!.dueAt);
    await Promise.all([add(), add()]); // the same id twice: BullMQ keeps one job
    await h.jobs.fireDue();
    await add(); // after it ran: a new job, which finds the step fired
    await h.jobs.settle();
    expect(sentTo(h, 'yibao01').filter((m) => m.content.startsWith('【到期提醒】'))).toHaveLength(1);
    expect(await stepEvents(r.id, 'reminder')).toBe(1);

    h.clock.set(timers.urge!.dueAt);
    expect(await h.jobs.fireDue()).toBe(1);
    await h.jobs.fireDue();
    expect(sentTo(h, 'yibao01').filter((m) => m.content.startsWith('【催办】'))).toHaveLength(1);
    expect(sentTo(h, 'yibao_head').map((m) => m.content)).toEqual([expect.stringContaining(r.trackingNumber)]);

    h.clock.set(timers.supervise!.dueAt);
    await h.jobs.fireDue();
    await h.jobs.queues.timers.add('timer.fire', { referralId: r.id, step: 'supervise' }, { jobId: timerJobId(r.id, 'supervise') });
    await h.jobs.settle();
    expect(sentTo(h, 'window01').filter((m) => m.content.startsWith('【督办】'))).toHaveLength(1);
    const tasks = await db().dutyTask.findMany({ where: { caseId: r.caseId } });
    expect(tasks).toMatchObject([{ kind: 'escalation', status: 'open' }]);
    expect(tasks[0]!.reason).toContain(r.trackingNumber);
    expect(Object.values(await timerStates(h, r.id)).map((t) => t.state)).toEqual(['fired', 'fired', 'fired']);
  });

  it('lets exactly one of several concurrent runs of a step fire it (a retried job racing the original)', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: { kind: 'township', code: 'wanggou' } });
    const { reminder } = await timerStates(h, r.id);
    const runs = await Promise.all([1, 2, 3, 4].map(() => fireTimerStep(h.deps, { referralId: r.id, step: 'reminder', now: reminder!.dueAt })));
    expect(runs.map((x) => x.outcome).sort()).toEqual(['already_fired', 'already_fired', 'already_fired', 'fired']);
    expect(await stepEvents(r.id, 'reminder')).toBe(1);
    const staged = await db().message.count({ where: { idempotencyKey: { startsWith: `timer.${r.id}.reminder.` } } });
    expect(staged).toBe(1);
    expect(await fireTimerStep(h.deps, { referralId: r.id, step: 'urge', now: reminder!.dueAt })).toEqual({ outcome: 'not_due', dueAt: r.dueAt });
  });
  it('sends a job that runs before its row is due back to wait for the rest of the time', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: { kind: 'township', code: 'baishabu' } });
    const jobId = timerJobId(r.id, 'urge');
    const job = await h.jobs.queues.timers.getJob(jobId);
    await job!.promote(); // as if the row had moved later after the job was armed
    await h.jobs.settle();
    const again = await h.jobs.queues.timers.getJob(jobId);
    expect(await again!.getState()).toBe('delayed');
    const left = again!.timestamp + again!.delay - Date.now();
    const due = r.dueAt.getTime() - h.clock.now().getTime();
    expect(Math.abs(left - due)).toBeLessThan(5000);
    expect((await timerStates(h, r.id)).urge?.state).toBe('pending');
  });
});

describe('urgent referrals not signed in time call in the duty officer', () => {
  it('opens an urgent duty task, messages the duty officers and rings the duty phones once', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { category: 'temporary', step: 'aid_first', unit: { kind: 'township', code: 'machanghu' } }, { urgent: true });
    h.clock.set(new Date(r.createdAt.getTime() + HOUR));
    await h.jobs.fireDue();
    await h.jobs.fireDue();
    const tasks = await db().dutyTask.findMany({ where: { caseId: r.caseId } });
    expect(tasks).toMatchObject([{ kind: 'urgent', urgent: true, status: 'open' }]);
    expect(sentTo(h, 'duty01').map((m) => m.content)).toEqual([expect.stringMatching(/^【紧急·值班】.*未签收/)]);
    expect(h.twilio.calls).toHaveLength(1);
    expect(h.twilio.calls[0]).toMatchObject({ to: '+8653912349000', from: '+8653912349' });
    expect(String(h.twilio.calls[0]!.url)).toContain(`/twilio/voice/duty-alert?referral=${r.trackingNumber}`);
    const call = await db().message.findFirstOrThrow({ where: { channel: 'voice', direction: 'outbound' } });
    expect(call).toMatchObject({ status: 'sent', providerId: h.twilio.calls[0]!.sid });
  });

  it('does not call anyone once the referral is signed: signing cancels the duty step and removes its job', async () => {
    h.clock.set(START);
    const clerk = staffActor(await makeStaff(h, 'township_staff', 'fangcheng01'));
    const r = await makeReferral(h, { category: 'temporary', step: 'aid_first', unit: { kind: 'township', code: 'fangcheng' } }, { urgent: true });
    h.clock.advance(HOUR / 2);
    await signReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: h.clock.now() });
    expect((await timerStates(h, r.id)).duty?.state).toBe('cancelled');
    expect(await h.jobs.queues.timers.getJob(timerJobId(r.id, 'duty'))).toBeUndefined();
    h.clock.advance(2 * HOUR);
    await h.jobs.queues.timers.add('timer.fire', { referralId: r.id, step: 'duty' }, { jobId: timerJobId(r.id, 'duty') });
    await h.jobs.fireDue();
    expect(await db().dutyTask.count({ where: { caseId: r.caseId } })).toBe(0);
    expect(await stepEvents(r.id, 'duty')).toBe(0);
  });
});

describe('a worker killed in the middle of a timer job', () => {
  it('hands the job to another worker, and the step still fires once', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: { kind: 'township', code: 'liguan' } });
    await h.jobs.settle();
    const a = h.moreJobs();
    await h.jobs.close(); // only worker A serves the queues now
    await a.startWorkers();
    const { reminder } = await timerStates(h, r.id);
    h.clock.set(reminder!.dueAt);

    // Hold the referral's row lock, so A's job blocks inside its transaction.
    const blocker = new pg.Client({ connectionString: h.env.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM "Referral" WHERE id = $1 FOR UPDATE', [r.id]);
    const jobId = timerJobId(r.id, 'reminder');
    await (await a.queues.timers.getJob(jobId))!.promote();
    while ((await a.queues.timers.getJobState(jobId)) !== 'active') await new Promise((res) => setTimeout(res, 10));

    await a.close({ force: true });
    const b = h.moreJobs();
    await b.startWorkers();
    await blocker.query('COMMIT');
    await blocker.end();
    // The stalled job is back in line once its lock expires; B runs it, finds the step fired by A's transaction and
    // dispatches the messages A could not hand over with its connections gone.
    await b.settle();
    expect(await stepEvents(r.id, 'reminder')).toBe(1);
    expect(sentTo(h, 'liguan01').filter((m) => m.content.startsWith('【到期提醒】'))).toHaveLength(1);
  });
});
