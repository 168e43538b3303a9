import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, makeReferral, startHarness, type Harness } from './harness.js';

// FLUSHDB must not touch other test files' keys, so this file has a Redis logical database to itself.
const REDIS_DB = 13;
const START = '2026-11-02T09:00:00+08:00';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ start: START, env: { REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}` }, workers: false });
});
afterAll(async () => {
  await h?.close();
});

describe('Redis loses everything (FLUSHDB)', () => {
  it('gets every pending timer and queued message back from PostgreSQL, and fires each overdue step exactly once', async () => {
    const { db, redis } = h.env.deps;
    const townships = ['lanshan', 'yinqueshan', 'jinqueshan', 'liuqing'];
    for (const code of townships) await makeReferral(h, { unit: { kind: 'township', code } });
    const urgent = await makeReferral(h, { category: 'temporary', step: 'aid_first', unit: { kind: 'township', code: 'xiangyang' } }, { urgent: true });

    // 26 days on: every normal reminder (day 21) is overdue, the urges (day 28) are not; the urgent one is overdue throughout.
    h.clock.set(new Date(new Date(START).getTime() + 26 * DAY));
    expect(await redis.dbsize()).toBeGreaterThan(0);
    expect(await redis.flushdb()).toBe('OK');
    expect(await h.jobs.queues.timers.getJobCounts()).toMatchObject({ delayed: 0, waiting: 0 });

    const pending = await db.referralTimer.count({ where: { firedAt: null, cancelledAt: null } });
    const due = await db.referralTimer.count({ where: { firedAt: null, cancelledAt: null, dueAt: { lte: h.clock.now() } } });
    expect(due).toBe(townships.length + 4); // four reminders, and the urgent one's duty, reminder, urge, supervise
    const summary = await h.jobs.rebuildTimers();
    expect(summary).toMatchObject({ timers: pending, overdue: due, messages: townships.length + 1 });
    expect(await h.jobs.queues.timers.getJobCounts('delayed', 'waiting')).toEqual({ delayed: pending - due, waiting: due });

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
    expect(again).toMatchObject({ timers: pending - due, overdue: 0, messages: 0 });
    await h.jobs.settle();
    expect(h.wecom.sent).toHaveLength(sent);
    expect(await db.auditEvent.count({ where: { action: { startsWith: 'referral.timer.' } } })).toBe(due);
    expect(await db.message.count({ where: { direction: 'outbound', status: { not: 'sent' } } })).toBe(0);
  });

  it('notices the loss by itself: a worker restores the repeatable jobs and every pending timer within its watchdog interval', async () => {
    const { db, redis } = h.env.deps;
    const watcher = h.moreJobs({ watchdogMs: 100 });
    await watcher.startWorkers();
    const pending = await db.referralTimer.count({ where: { firedAt: null, cancelledAt: null } });
    const firedBefore = await db.auditEvent.count({ where: { action: { startsWith: 'referral.timer.' } } });
    await redis.flushdb();
    const restored = async () => (await watcher.queues.timers.getJobCounts('delayed')).delayed === pending && (await watcher.queues.maintenance.getJobSchedulersCount()) === 3;
    // Waits up to 15 s: a loaded CI machine may take a while; the assertion is that it happens, not how fast.
    for (let i = 0; i < 300 && !(await restored()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await restored()).toBe(true);
    expect(h.env.logs.some((l) => l.includes('"code":"redis_data_lost"'))).toBe(true);
    await watcher.settle();
    expect(await db.auditEvent.count({ where: { action: { startsWith: 'referral.timer.' } } })).toBe(firedBefore);
  });
});
