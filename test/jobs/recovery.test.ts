import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, makeReferral, startHarness, type Harness } from './harness.js';

// FLUSHDB must not touch other test files' keys, so this file has a Redis logical database to itself.
const REDIS_DB = 13;
const START = '2026-11-02T09:00:00+08:00';
/** The production default (TIMER_HORIZON_HOURS=24): only timers due within it come back into Redis. */
const HORIZON = 24 * HOUR;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ start: START, env: { REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}` }, workers: false, jobs: { timerHorizonMs: HORIZON } });
});
afterAll(async () => {
  await h?.close();
});

/** Pending timers, those due by now + the horizon, and those due by now, per PostgreSQL. */
async function timerCounts() {
  const { db } = h.env.deps;
  const pendingWhere = { firedAt: null, cancelledAt: null };
  return {
    pending: await db.referralTimer.count({ where: pendingWhere }),
    inHorizon: await db.referralTimer.count({ where: { ...pendingWhere, dueAt: { lte: new Date(h.clock.now().getTime() + HORIZON) } } }),
    due: await db.referralTimer.count({ where: { ...pendingWhere, dueAt: { lte: h.clock.now() } } }),
  };
}

describe('Redis loses everything (FLUSHDB)', () => {
  it('gets the timers within the horizon and every queued message back from PostgreSQL, fires each overdue step exactly once, leaves later timers in PostgreSQL', async () => {
    const { db, redis } = h.env.deps;
    const townships = ['lanshan', 'yinqueshan', 'jinqueshan', 'liuqing'];
    for (const code of townships) await makeReferral(h, { unit: { kind: 'township', code } });
    const urgent = await makeReferral(h, { category: 'temporary', step: 'aid_first', unit: { kind: 'township', code: 'xiangyang' } }, { urgent: true });

    // 27½ days on: every normal reminder (day 21) is overdue, the urges (day 28) are within the horizon, the
    // supervisions beyond it; the urgent one is overdue throughout.
    h.clock.set(new Date(new Date(START).getTime() + 27.5 * DAY));
    expect(await redis.dbsize()).toBeGreaterThan(0);
    expect(await redis.flushdb()).toBe('OK');
    expect(await h.jobs.queues.timers.getJobCounts()).toMatchObject({ delayed: 0, waiting: 0 });

    const { pending, inHorizon, due } = await timerCounts();
    expect(due).toBe(townships.length + 4); // four reminders, and the urgent one's duty, reminder, urge, supervise
    expect(inHorizon).toBe(due + townships.length); // and the four urges
    expect(pending).toBe(inHorizon + townships.length); // the four supervisions are further off
    const summary = await h.jobs.rebuildTimers();
    expect(summary).toMatchObject({ timers: inHorizon, added: inHorizon, overdue: due, messages: townships.length + 1 });
    expect(await h.jobs.queues.timers.getJobCounts('delayed', 'waiting')).toEqual({ delayed: inHorizon - due, waiting: due });

    await h.jobs.startWorkers(); // which sweeps again: nothing is added twice
    await h.jobs.settle();
    const fired = await db.auditEvent.groupBy({ by: ['referralId', 'action'], where: { action: { startsWith: 'referral.timer.' } }, _count: true });
    expect(fired).toHaveLength(due);
    expect(fired.every((f) => f._count === 1)).toBe(true);
    for (const code of townships) {
      const received = h.wecom.sent.filter((m) => m.toUser === `${code}01`).map((m) => m.content.slice(0, 6));
      expect(received.sort()).toEqual(['【到期提醒】', '【转办件】承']);
    }
    expect(await db.dutyTask.count({ where: { caseId: urgent.caseId } })).toBe(2); // the duty call-in and the supervision
    expect(h.twilio.calls).toHaveLength(1);

    // Lost again after the overdue steps fired: a rebuild brings back only what is still pending, and fires nothing twice.
    const sent = h.wecom.sent.length;
    await redis.flushdb();
    const again = await h.jobs.rebuildTimers();
    expect(again).toMatchObject({ timers: inHorizon - due, added: inHorizon - due, overdue: 0, messages: 0 });
    expect(await h.jobs.queues.timers.getJobCounts('delayed')).toEqual({ delayed: inHorizon - due });
    await h.jobs.settle();
    expect(h.wecom.sent).toHaveLength(sent);
    expect(await db.auditEvent.count({ where: { action: { startsWith: 'referral.timer.' } } })).toBe(due);
    expect(await db.message.count({ where: { direction: 'outbound', status: { not: 'sent' } } })).toBe(0);
  });

  it('notices the loss by itself: a worker restores the repeatable jobs and the timers within the horizon, within its watchdog interval', async () => {
    const { db, redis } = h.env.deps;
    const watcher = h.moreJobs({ watchdogMs: 100 });
    await watcher.startWorkers();
    const { inHorizon, due } = await timerCounts();
    expect(due).toBe(0);
    const firedBefore = await db.auditEvent.count({ where: { action: { startsWith: 'referral.timer.' } } });
    await redis.flushdb();
    const restored = async () => (await watcher.queues.timers.getJobCounts('delayed')).delayed === inHorizon && (await watcher.queues.maintenance.getJobSchedulersCount()) === 3;
    // Waits up to 15 s: a loaded CI machine may take a while; the assertion is that it happens, not how fast.
    for (let i = 0; i < 300 && !(await restored()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await restored()).toBe(true);
    expect(h.env.logs.some((l) => l.includes('"code":"redis_data_lost"'))).toBe(true);
    await watcher.settle();
    expect(await db.auditEvent.count({ where: { action: { startsWith: 'referral.timer.' } } })).toBe(firedBefore);
  });
});
