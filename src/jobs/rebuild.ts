import type { Db } from '../db/client.js';
import type { Outbox, TimerStep } from '../referrals/ports.js';
import type { TimerJobs } from './timer-jobs.js';

const PAGE = 5000;

export interface RebuildSummary {
  /** Pending timers handed to Redis (existing jobs are left as they are). */
  timers: number;
  /** Of those, how many were already due: they fire at once, each exactly once. */
  overdue: number;
  /** Outbound messages still queued in PostgreSQL, dispatched again. */
  messages: number;
  ms: number;
}

/**
 * Rebuilds the job system from PostgreSQL: every pending timer (not fired, not cancelled) gets its delayed job back,
 * due at max(0, dueAt − now), and every message still queued is dispatched again. Jobs that exist are untouched, so
 * running it at every worker start and every few minutes is harmless; after Redis lost its data it restores all.
 */
export async function rebuildTimers(deps: { db: Db; timers: Pick<TimerJobs, 'ensure'>; outbox: Outbox }, now: Date): Promise<RebuildSummary> {
  const started = performance.now();
  let timers = 0;
  let overdue = 0;
  for (let after: string | undefined; ; ) {
    const page = await deps.db.referralTimer.findMany({
      where: { firedAt: null, cancelledAt: null, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, referralId: true, step: true, dueAt: true },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (page.length === 0) break;
    await deps.timers.ensure(page.map((t) => ({ referralId: t.referralId, step: t.step as TimerStep, dueAt: t.dueAt })));
    timers += page.length;
    overdue += page.filter((t) => t.dueAt <= now).length;
    after = page[page.length - 1]!.id;
  }
  let messages = 0;
  for (let after: string | undefined; ; ) {
    const page = await deps.db.message.findMany({
      where: { direction: 'outbound', status: 'queued', idempotencyKey: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, idempotencyKey: true },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (page.length === 0) break;
    await deps.outbox.dispatch(page.map((m) => m.idempotencyKey!));
    messages += page.length;
    after = page[page.length - 1]!.id;
  }
  return { timers, overdue, messages, ms: Math.round(performance.now() - started) };
}
