import type { Db, Sql } from '../db/client.js';
import type { Outbox, TimerRef, TimerStep } from '../referrals/ports.js';
import type { TimerJobs } from './timer-jobs.js';

const PAGE = 5000;

export interface RebuildSummary {
  /** Pending timers due within the horizon (overdue ones included), each of which now has its job. */
  timers: number;
  /** Of those, how many had no job and were added (all of them after Redis lost its data; new arrivals otherwise). */
  added: number;
  /** Of those, how many were already due: they fire at once, each exactly once. */
  overdue: number;
  /** The end of the horizon: timers due later stay in PostgreSQL until a later sweep. */
  horizonEnd: Date;
  /** Outbound messages still queued in PostgreSQL, dispatched again. */
  messages: number;
  ms: number;
}

type Row = { id: string; referralId: string; step: string; due: number };

/**
 * One page of pending timers due by `until`, in due order after `after`. Plain SQL for the row comparison, which walks
 * the partial index ReferralTimer_pending_dueAt_idx ("dueAt", id WHERE pending): the sweep reads the timers it needs
 * and nothing else, however many fired, cancelled or far-off rows the table holds. Timestamps are UTC without a zone.
 */
async function pendingPage(sql: Sql, until: Date, after: { due: number; id: string } | undefined): Promise<Row[]> {
  const params: unknown[] = [until.toISOString(), PAGE];
  const keyset = after ? `AND ("dueAt", id) > ($3::timestamp, $4::uuid)` : '';
  if (after) params.push(new Date(after.due).toISOString(), after.id);
  const { rows } = await sql.query<Row>(
    `SELECT id, "referralId", step, (extract(epoch FROM "dueAt") * 1000)::float8 AS due
       FROM "ReferralTimer"
      WHERE "firedAt" IS NULL AND "cancelledAt" IS NULL AND "dueAt" <= $1::timestamp ${keyset}
      ORDER BY "dueAt", id
      LIMIT $2`,
    params,
  );
  return rows;
}

/**
 * The timer sweep: every pending timer (not fired, not cancelled) due within the horizon gets its delayed job, due at
 * max(0, dueAt − now), and every message still queued is dispatched again. Jobs that exist are untouched and ids are
 * deterministic, so running it at every worker start, every few minutes and in several processes at once is
 * harmless. It is also how timers further ahead reach Redis: each comes within the horizon at some sweep, a horizon
 * minus a sweep interval before it is due. After Redis lost its data it restores the horizon, nothing beyond it.
 */
export async function rebuildTimers(
  deps: { db: Db; sql: Sql; timers: Pick<TimerJobs, 'ensure' | 'horizonMs'>; outbox: Outbox },
  now: Date,
): Promise<RebuildSummary> {
  const started = performance.now();
  const horizonEnd = new Date(now.getTime() + deps.timers.horizonMs);
  let timers = 0;
  let added = 0;
  let overdue = 0;
  for (let after: Row | undefined; ; ) {
    const page = await pendingPage(deps.sql, horizonEnd, after);
    if (page.length === 0) break;
    const refs: TimerRef[] = page.map((t) => ({ referralId: t.referralId, step: t.step as TimerStep, dueAt: new Date(t.due) }));
    added += await deps.timers.ensure(refs);
    timers += page.length;
    overdue += page.filter((t) => t.due <= now.getTime()).length;
    if (page.length < PAGE) break;
    after = page[page.length - 1]!;
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
  return { timers, added, overdue, horizonEnd, messages, ms: Math.round(performance.now() - started) };
}
