import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { Jobs } from '../../src/jobs/create-jobs.js';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import type { TimerStep } from '../../src/referrals/ports.js';
import { DAY, HOUR, makeReferral, makeStaff, sentTo, startHarness, type Harness } from './harness.js';

/**
 * The timer horizon: only timers due within it (24 h, the default) live in Redis as delayed jobs; the sweep brings
 * the next ones in from PostgreSQL. Time passes by hand here and jobs run only if BullMQ holds them (passTime), never
 * through fireDue, which would add missing jobs from PostgreSQL itself: a timer the horizon logic failed to arm
 * would stay unfired, and the tests would see it.
 */
const START = '2026-11-02T09:00:00+08:00';
const HORIZON = 24 * HOUR;
const MINUTE = 60_000;

let h: Harness;
/** A second worker process on the same database and Redis prefix: its sweeps and workers race the first one's. */
let other: Jobs;
beforeAll(async () => {
  // The watchdog would notice a loss by itself after a minute; here the sweeps after a loss are run by hand.
  h = await startHarness({ start: START, jobs: { timerHorizonMs: HORIZON, watchdogMs: HOUR } });
  await makeStaff(h, 'duty_officer', 'duty01');
  other = h.moreJobs();
  await other.startWorkers();
});
afterAll(async () => {
  await h?.close();
});

const db = () => h.env.deps.db;
const pending = { firedAt: null, cancelledAt: null };

/** `n` sweeps at once, alternating between the two processes (the repeatable sweep, a watchdog and a restart may overlap). */
const sweeps = (n = 4) => Promise.all(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? h.jobs : other).rebuildTimers()));

/** Every timer job id BullMQ holds, in any state a job keeps its id in (completed jobs are removed). */
async function jobIdsInRedis(): Promise<string[]> {
  const jobs = await h.jobs.queues.timers.getJobs(['delayed', 'wait', 'active', 'prioritized', 'waiting-children', 'failed']);
  return jobs.map((j) => j.id!).sort();
}

/** The job ids the horizon calls for at the clock's time: one per pending timer due by now + the horizon. */
async function horizonIds(): Promise<string[]> {
  const rows = await db().referralTimer.findMany({ where: { ...pending, dueAt: { lte: new Date(h.clock.now().getTime() + HORIZON) } } });
  return rows.map((r) => timerJobId(r.referralId, r.step as TimerStep)).sort();
}

/**
 * Time passes to `at`: every delayed timer job whose row is due by then runs, as BullMQ would run it at that moment.
 * A due timer without a job stays unfired.
 */
async function passTime(at: Date): Promise<void> {
  h.clock.set(at);
  const due = await db().referralTimer.findMany({ where: { ...pending, dueAt: { lte: at } }, select: { referralId: true, step: true } });
  const ids = new Set(due.map((t) => timerJobId(t.referralId, t.step as TimerStep)));
  const delayed = await h.jobs.queues.timers.getDelayed();
  await Promise.all(delayed.filter((j) => ids.has(j.id!)).map((j) => j.promote()));
  await h.jobs.settle();
}

/** Redis loses this file's data: every key under its prefix (other files share the Redis server). */
async function loseRedisData(): Promise<void> {
  const { redis, config } = h.env.deps;
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redis.prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    if ((cursor = next) === '0') break;
  }
}

describe('the timer horizon', () => {
  it('is 24 hours unless TIMER_HORIZON_HOURS says otherwise, and must span at least two sweeps', () => {
    expect(parseConfig({}).timerHorizonMs).toBe(HORIZON);
    expect(parseConfig({ TIMER_HORIZON_HOURS: '72' }).timerHorizonMs).toBe(3 * DAY);
    expect(() => parseConfig({ TIMER_HORIZON_HOURS: '0.5' })).toThrow(/TIMER_HORIZON_HOURS/);
    expect(() => h.moreJobs({ timerHorizonMs: 9 * MINUTE, sweepEveryMs: 5 * MINUTE })).toThrow(/at least two sweeps/);
  });

  it('arms a timer at the first sweep that finds it within the horizon, not one millisecond before, once however many sweeps run at once, and fires it once', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: { kind: 'township', code: 'lanshan' } });
    await h.jobs.settle();
    const rows = await db().referralTimer.findMany({ where: { referralId: r.id } });
    expect(rows.map((t) => t.step).sort()).toEqual(['reminder', 'supervise', 'urge']);
    // Weeks off: the rows are in PostgreSQL, nothing is in Redis.
    for (const t of rows) expect(await h.jobs.queues.timers.getJob(timerJobId(r.id, t.step as TimerStep))).toBeUndefined();

    const reminder = rows.find((t) => t.step === 'reminder')!;
    const jobId = timerJobId(r.id, 'reminder');
    const edge = reminder.dueAt.getTime() - HORIZON;
    h.clock.set(new Date(edge - 1));
    await sweeps();
    expect(await h.jobs.queues.timers.getJob(jobId)).toBeUndefined();

    h.clock.set(new Date(edge));
    const runs = await sweeps(6);
    expect(runs.every((s) => s.horizonEnd.getTime() === reminder.dueAt.getTime())).toBe(true);
    // Concurrent sweeps may each see the job missing and add it: the id is the same, so BullMQ holds one.
    expect(runs.reduce((n, s) => n + s.added, 0)).toBeGreaterThanOrEqual(1);
    const job = await h.jobs.queues.timers.getJob(jobId);
    expect(await job!.getState()).toBe('delayed');
    expect(job!.delay).toBe(HORIZON);
    expect((await jobIdsInRedis()).filter((id) => id.startsWith(r.id))).toEqual([jobId]);

    // Later sweeps leave the job as it is.
    h.clock.advance(5 * MINUTE);
    expect((await sweeps()).every((s) => s.added === 0)).toBe(true);
    expect((await h.jobs.queues.timers.getJob(jobId))!.timestamp).toBe(job!.timestamp);

    // Its time comes while more sweeps run; and again after it fired.
    await Promise.all([passTime(reminder.dueAt), sweeps()]);
    await sweeps();
    await h.jobs.settle();
    expect(await db().auditEvent.count({ where: { referralId: r.id, action: 'referral.timer.reminder' } })).toBe(1);
    expect(sentTo(h, 'lanshan01').filter((m) => m.content.startsWith('【到期提醒】'))).toHaveLength(1);
    expect(await h.jobs.queues.timers.getJob(jobId)).toBeUndefined();
  });

  it('ends a job whose row moved beyond the horizon, and the sweep arms it again once it is back within reach', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: { kind: 'township', code: 'baishabu' } });
    const { dueAt } = await db().referralTimer.findUniqueOrThrow({ where: { referralId_step: { referralId: r.id, step: 'reminder' } } });
    h.clock.set(new Date(dueAt.getTime() - HOUR));
    await sweeps(2);
    // The row moves three days later behind the job's back (as an extension would, without its Redis mirror).
    const later = new Date(dueAt.getTime() + 3 * DAY);
    await db().referralTimer.update({ where: { referralId_step: { referralId: r.id, step: 'reminder' } }, data: { dueAt: later } });
    // The job runs at the time it was armed for, finds its row three days off, beyond the horizon: it ends.
    h.clock.set(dueAt);
    await (await h.jobs.queues.timers.getJob(timerJobId(r.id, 'reminder')))!.promote();
    await h.jobs.settle();
    expect(await h.jobs.queues.timers.getJob(timerJobId(r.id, 'reminder'))).toBeUndefined();
    expect(await db().auditEvent.count({ where: { referralId: r.id, action: 'referral.timer.reminder' } })).toBe(0);

    h.clock.set(new Date(later.getTime() - HORIZON));
    await sweeps(2);
    expect(await (await h.jobs.queues.timers.getJob(timerJobId(r.id, 'reminder')))!.getState()).toBe('delayed');
    await passTime(later);
    expect(await db().auditEvent.count({ where: { referralId: r.id, action: 'referral.timer.reminder' } })).toBe(1);
  });

  it('over six weeks of sweeps, with referrals arriving, duplicate sweeps in two processes and Redis losing its data, fires every timer exactly once and keeps exactly the horizon in Redis', { timeout: 240_000 }, async () => {
    const STEP = 6 * HOUR; // a sweep every 6 hours of test time: well inside the horizon, as every 5 minutes is
    const begin = new Date(START).getTime() + 14 * DAY;
    const townships = ['yinqueshan', 'jinqueshan', 'liuqing', 'xiangyang', 'wanggou'];
    const outbound = async () => ({
      wecom: await db().message.count({ where: { direction: 'outbound', channel: { in: ['wecom_app', 'wecom_kf'] } } }),
      voice: await db().message.count({ where: { direction: 'outbound', channel: 'voice' } }),
    });
    const before = { ...(await outbound()), wecomSent: h.wecom.sent.length, calls: h.twilio.calls.length };
    let lostAt: number | undefined;
    let heldOverdue = 0;
    let end = Infinity;

    for (let i = 0; begin + i * STEP <= end; i++) {
      const at = new Date(begin + i * STEP);
      h.clock.set(at);
      // Intake meanwhile: a referral every day and a bit for the first days, one of them urgent (a duty step 1 h on).
      if (i % 5 === 0 && i / 5 < townships.length) {
        const code = townships[i / 5]!;
        const urgent = code === 'liuqing';
        await makeReferral(h, urgent ? { category: 'temporary', step: 'aid_first', unit: { kind: 'township', code } } : { unit: { kind: 'township', code } }, { urgent });
      }
      // Redis loses its data once, after the intake, a step before a timer comes due; no sweep runs for two steps.
      if (lostAt === undefined && i >= 5 * townships.length) {
        const soon = await db().referralTimer.count({ where: { ...pending, dueAt: { gt: at, lte: new Date(at.getTime() + STEP) } } });
        if (soon > 0) {
          await h.jobs.settle();
          await loseRedisData();
          expect(await jobIdsInRedis()).toEqual([]);
          lostAt = i;
        }
      }
      const outage = lostAt !== undefined && i >= lostAt && i < lostAt + 2;
      await Promise.all([passTime(at), outage ? undefined : sweeps()]);
      await h.jobs.settle();

      if (outage) {
        // Nothing in Redis, so due timers wait; the sweep after the outage fires them.
        heldOverdue = Math.max(heldOverdue, await db().referralTimer.count({ where: { ...pending, dueAt: { lte: at } } }));
        continue;
      }
      // Nothing due is left unfired, and Redis holds exactly the timers due within the horizon, no fewer, no more.
      expect(await db().referralTimer.count({ where: { ...pending, dueAt: { lte: at } } })).toBe(0);
      expect(await jobIdsInRedis()).toEqual(await horizonIds());
      if (i === 5 * (townships.length - 1)) {
        // The last referral is in: walk until a step past the last timer.
        const last = await db().referralTimer.aggregate({ _max: { dueAt: true } });
        end = last._max.dueAt!.getTime() + STEP;
      }
    }
    expect(lostAt).toBeDefined();
    expect(heldOverdue).toBeGreaterThan(0);

    // Every timer of the file fired, each exactly once, and each of its messages went out once.
    const rows = await db().referralTimer.findMany();
    expect(rows.filter((t) => !t.firedAt)).toEqual([]);
    const events = await db().auditEvent.groupBy({ by: ['referralId', 'action'], where: { action: { startsWith: 'referral.timer.' } }, _count: true });
    expect(events).toHaveLength(rows.length);
    expect(events.every((e) => e._count === 1)).toBe(true);
    expect(await db().message.count({ where: { direction: 'outbound', status: { not: 'sent' } } })).toBe(0);
    const after = await outbound();
    expect(h.wecom.sent.length - before.wecomSent).toBe(after.wecom - before.wecom);
    expect(h.twilio.calls.length - before.calls).toBe(after.voice - before.voice);
    expect(after.voice - before.voice).toBeGreaterThan(0); // the urgent referral's duty call
  });
});
