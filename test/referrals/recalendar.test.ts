import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDirectory, loadCurrentDirectory } from '../../src/directory/store.js';
import { createJobs, type Jobs } from '../../src/jobs/create-jobs.js';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import { approveExtension, requestExtension } from '../../src/referrals/extension.js';
import { pauseClock, resumeClock } from '../../src/referrals/pause.js';
import { answerReferral, signReferral } from '../../src/referrals/progress.js';
import { recomputeOpenDeadlines } from '../../src/referrals/recalendar.js';
import { OFFICIAL_2027 } from './clock/official-2027.js';
import { fastSenders, makeReferral, timerStates, useHarness, useStaff } from '../jobs/harness.js';

/**
 * December 2026: chinese-days has no 2027, so clocks opened now count a provisional 2027 (derived statutory holidays,
 * no make-up days). When the county file gains the published 2027 schedule, the open deadlines are counted again on it
 * where the directory takes effect: at the next start of the workers.
 */

const at = (local: string) => new Date(`${local}+08:00`);
const zaoyuan = { kind: 'township' as const, code: 'zaoyuan' };
const minzheng = { kind: 'agency' as const, code: 'minzheng' };

const h = useHarness({ start: '2026-12-20T10:00:00+08:00' });
const clerk = useStaff(h, 'township_staff', 'zaoyuan01');
const supervisor = useStaff(h, 'supervisor', 'window01');
const started: Jobs[] = [];
afterAll(async () => {
  for (const j of started) await j.close();
});

const now = () => h.clock.now();
const db = () => h.env.deps.db;
const read = (id: string) => db().referral.findUniqueOrThrow({ where: { id } });

/** Another worker process starting with the directory as it is now stored (as after `hotline directory import`). */
async function startWorkerProcess(): Promise<Jobs> {
  const directory = (await loadCurrentDirectory(db()))!;
  const jobs = createJobs({ ...h.env.deps, directory }, { now: h.clock.now, outboundBackoffMs: 10, senders: fastSenders(h.wecom, h.twilio) });
  started.push(jobs);
  await jobs.startWorkers();
  return jobs;
}

/** When a delayed job will run, by the test clock (valid right after it was (re)armed at the clock's time). */
async function jobDueAt(jobs: Jobs, referralId: string, step: 'urge' | 'follow_up'): Promise<Date | undefined> {
  const job = await jobs.queues.timers.getJob(timerJobId(referralId, step));
  if (!job || (await job.getState()) !== 'delayed') return undefined;
  return new Date(now().getTime() + job.delay);
}

let a: { id: string; trackingNumber: string };

describe('a 20-working-day clock opened on Sunday 2026-12-20', () => {
  it('skips 2027-01-01 on the provisional calendar: due Mon 2027-01-18, not Fri 01-15', async () => {
    a = await makeReferral(h, { unit: zaoyuan });
    expect(a).toMatchObject({ signDueAt: at('2026-12-21T10:00:00'), dueAt: at('2027-01-18T10:00:00') });
    expect(h.env.logs.some((l) => l.includes('calendar_provisional') && l.includes('2027年节假日安排尚未发布，暂按推算的法定节假日计算，调休以国务院公布为准'))).toBe(true);
  });

  it('one opened before the provisional calendar (counted on plain weekdays) moves onto it at the next start', async () => {
    const legacy = await makeReferral(h, { unit: zaoyuan });
    await db().referral.update({ where: { id: legacy.id }, data: { dueAt: at('2027-01-15T10:00:00') } });
    await db().auditEvent.deleteMany({ where: { action: 'calendar.applied' } });
    await startWorkerProcess();
    expect((await read(legacy.id)).dueAt).toEqual(at('2027-01-18T10:00:00'));
    expect((await timerStates(h, legacy.id)).urge).toMatchObject({ state: 'pending', dueAt: at('2027-01-18T10:00:00') });
    expect((await read(a.id)).dueAt).toEqual(at('2027-01-18T10:00:00'));
  });
});

describe('the county file gains the published 2027 schedule', () => {
  const r: Record<string, { id: string; trackingNumber: string }> = {};
  let jobs: Jobs;

  beforeAll(async () => {
    // Still provisional on Monday 2027-01-25: 20 working days run past the Spring Festival week to 03-02.
    h.clock.set('2027-01-25T10:00:00+08:00');
    r.approval = await makeReferral(h, { unit: zaoyuan });
    r.child = await makeReferral(h, { unit: minzheng, category: 'child' }); // 15 working days
    r.paused = await makeReferral(h, { unit: zaoyuan });
    await pauseClock(h.deps, { trackingNumber: r.paused.trackingNumber, reason: 'waiting_resident', actor: clerk, now: now() });
    r.extended = await makeReferral(h, { unit: zaoyuan });
    r.followUp = await makeReferral(h, { unit: zaoyuan });
    for (const x of [r.extended, r.followUp]) await signReferral(h.deps, { trackingNumber: x.trackingNumber, actor: clerk, now: now() });
    h.clock.set('2027-01-27T10:00:00+08:00');
    await resumeClock(h.deps, { trackingNumber: r.paused.trackingNumber, actor: clerk, now: now() });
    await requestExtension(h.deps, { trackingNumber: r.extended.trackingNumber, reason: '等待鉴定', dueAt: at('2027-03-31T10:00:00'), actor: clerk, now: now() });
    await approveExtension(h.deps, { trackingNumber: r.extended.trackingNumber, actor: supervisor, now: now() });
    h.clock.set('2027-02-19T10:00:00+08:00'); // Friday
    await answerReferral(h.deps, { trackingNumber: r.followUp.trackingNumber, actor: clerk, now: now(), feedback: { result: '已纳入低保', handler: '赵社工' } });
  });

  it('provisionally: 03-02, 02-23, 03-04 (with the 2-day pause), the extension’s 03-31, the follow-up on Mon 02-22', async () => {
    expect((await read(r.approval!.id)).dueAt).toEqual(at('2027-03-02T10:00:00'));
    expect((await read(r.child!.id)).dueAt).toEqual(at('2027-02-23T10:00:00'));
    expect((await read(r.paused!.id)).dueAt).toEqual(at('2027-03-04T10:00:00'));
    expect((await read(r.extended!.id)).dueAt).toEqual(at('2027-03-31T10:00:00'));
    expect((await timerStates(h, r.followUp!.id)).follow_up).toMatchObject({ state: 'pending', dueAt: at('2027-02-22T10:00:00') });
  });

  it('the next worker start recomputes the open deadlines on it, make-up Saturday 02-20 included, and moves their timers', async () => {
    await importDirectory(db(), { ...h.env.deps.directory.directory, calendar: OFFICIAL_2027 });
    jobs = await startWorkerProcess();

    expect((await read(r.approval!.id)).dueAt).toEqual(at('2027-02-26T10:00:00'));
    // 15 working days land on the Saturday worked in exchange for the Spring Festival.
    expect((await read(r.child!.id)).dueAt).toEqual(at('2027-02-20T10:00:00'));
    expect((await read(r.paused!.id)).dueAt).toEqual(at('2027-02-28T10:00:00'));
    // A date a supervisor set stays; so does the deadline that 2027's new schedule does not change.
    expect((await read(r.extended!.id)).dueAt).toEqual(at('2027-03-31T10:00:00'));
    expect((await read(a.id)).dueAt).toEqual(at('2027-01-18T10:00:00'));

    expect((await timerStates(h, r.child!.id)).urge).toMatchObject({ state: 'pending', dueAt: at('2027-02-20T10:00:00') });
    expect(await jobDueAt(jobs, r.child!.id, 'urge')).toEqual(at('2027-02-20T10:00:00'));
    expect((await timerStates(h, r.followUp!.id)).follow_up).toMatchObject({ state: 'pending', dueAt: at('2027-02-20T10:00:00') });
    expect(await jobDueAt(jobs, r.followUp!.id, 'follow_up')).toEqual(at('2027-02-20T10:00:00'));

    const events = await db().auditEvent.findMany({ where: { action: 'referral.deadlines_recomputed' } });
    const byReferral = new Map(events.filter((e) => e.at.getTime() === now().getTime()).map((e) => [e.referralId, e]));
    expect([...byReferral.keys()].sort()).toEqual([r.approval!.id, r.child!.id, r.paused!.id, r.followUp!.id].sort());
    expect(byReferral.get(r.child!.id)).toMatchObject({
      actorType: 'system',
      before: { dueAt: at('2027-02-23T10:00:00').toISOString() },
      after: { dueAt: at('2027-02-20T10:00:00').toISOString() },
      reason: expect.stringContaining('2027年：已公布安排'),
    });
    expect(h.env.logs.some((l) => l.includes('calendar_applied') && l.includes('"moved":4'))).toBe(true);
  });

  it('is not recomputed again at later starts, and a year the change does not touch moves nothing', async () => {
    const before = await db().auditEvent.count({ where: { action: 'referral.deadlines_recomputed' } });
    await startWorkerProcess();
    expect(await db().auditEvent.count({ where: { action: 'referral.deadlines_recomputed' } })).toBe(before);
    const none = await recomputeOpenDeadlines({ ...h.deps, calendar: jobs.ports.calendar, directory: (await loadCurrentDirectory(db()))! }, { now: now(), years: new Set([2030]), reason: 'test' });
    expect(none.moved).toEqual([]);
    expect(none.checked).toBeGreaterThan(0);
    const applied = await db().auditEvent.findFirstOrThrow({ where: { action: 'calendar.applied' }, orderBy: { id: 'desc' } });
    expect(applied.after).toMatchObject({ sources: { 2026: 'official', 2027: 'official', 2028: 'provisional' }, changedYears: [2027], moved: 4 });
  });

});
