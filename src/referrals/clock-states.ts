import type { PoolClient } from 'pg';
import type { Sql } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { ReferralStatus, ReferralStep } from '../generated/prisma/enums.js';
import { deadlineState, DUE_SOON_FRACTION, STATE_SEVERITY, type DeadlineState, type DeadlineStatus } from './clock/deadline-state.js';
import { effectiveDeadline } from './clock/pauses.js';
import { OPEN_STATUSES } from './transitions.js';

/**
 * Every clock a referral runs, each judged by the one deadline rule (referrals/clock/deadline-state.ts):
 * - `sign` 签收: by signDueAt (1 working day; 1 hour when urgent);
 * - the work clock, by dueAt, named by the step: `transfer` 转办 (notify, the transfer limit), `aid_first` 先行救助
 *   (24 hours), `approval` 审核审批 (township investigation and agency handling), `paperwork` 补办手续 (after aid first);
 * - `follow_up` 回访: the resident asked whether they are satisfied, due the follow-up limit after the answer.
 */
export type ClockKind = 'sign' | 'transfer' | 'aid_first' | 'approval' | 'paperwork' | 'follow_up';
export const CLOCK_KINDS: readonly ClockKind[] = ['sign', 'transfer', 'aid_first', 'approval', 'paperwork', 'follow_up'];

export const CLOCK_KIND_LABELS: Record<ClockKind, string> = {
  sign: '签收',
  transfer: '转办',
  aid_first: '先行救助',
  approval: '审核审批',
  paperwork: '补办手续',
  follow_up: '回访',
};

const WORK_KIND: Record<ReferralStep, ClockKind> = {
  notify: 'transfer',
  aid_first: 'aid_first',
  investigate: 'approval',
  handle: 'approval',
  paperwork: 'paperwork',
};
export const workKindOf = (step: ReferralStep): ClockKind => WORK_KIND[step];

/** Words for a clock in a state: "done late" reads as the act that was late (超期签收, 超期办结, 超期回访). */
export function clockStateLabel(kind: ClockKind, status: Pick<DeadlineStatus, 'state' | 'done'>): string {
  const act = kind === 'sign' ? '签收' : kind === 'follow_up' ? '回访' : '办结';
  if (status.done) return status.state === 'done_late' ? `超期${act}` : `按时${act}`;
  return status.state === 'on_time' ? '按时' : status.state === 'due_soon' ? '即将到期' : '已超期';
}

/** Statuses in which some clock may still be owed: open work, and answered work awaiting its follow-up. */
export const CLOCK_STATUSES: readonly ReferralStatus[] = [...OPEN_STATUSES, 'answered'];

/** The columns the clocks are judged from; add it to a query's select or include. */
export const clockSelect = {
  status: true,
  step: true,
  urgent: true,
  createdAt: true,
  dispatchedAt: true,
  signDueAt: true,
  signedAt: true,
  dueAt: true,
  answeredAt: true,
  returnedAt: true,
  closedAt: true,
  pauses: { where: { to: null }, select: { from: true, reason: true }, take: 1 },
  timers: { where: { step: 'follow_up' }, select: { dueAt: true, firedAt: true, cancelledAt: true } },
} satisfies Prisma.ReferralSelect;

export type ClockFields = Prisma.ReferralGetPayload<{ select: typeof clockSelect }>;

export interface ReferralClock extends DeadlineStatus {
  kind: ClockKind;
  kindLabel: string;
  /** Words for the state, e.g. 已超期, 即将到期, 按时签收, 超期办结. */
  label: string;
  /** The due time as it stands now: a clock paused before its deadline moves on while it stands still. */
  dueAt: Date;
  doneAt: Date | null;
  startedAt: Date;
  paused: boolean;
}

/** Every clock of a referral as of `now`; a merged duplicate has none (its work continues in the one it joined). */
export function referralClocks(r: ClockFields, now: Date): ReferralClock[] {
  if (r.status === 'merged' || r.status === 'created') return [];
  const startedAt = r.dispatchedAt ?? r.createdAt;
  const pausedFrom = OPEN_STATUSES.includes(r.status) ? (r.pauses[0]?.from ?? null) : null;
  const clock = (kind: ClockKind, dueAt: Date, doneAt: Date | null, start: Date): ReferralClock => {
    const owed = !doneAt || doneAt > now;
    const paused = owed && pausedFrom !== null;
    const due = paused ? effectiveDeadline(dueAt, [{ from: pausedFrom, to: null }], now) : dueAt;
    const status = deadlineState({ dueAt: due, doneAt, now, startedAt: start });
    return { kind, kindLabel: CLOCK_KIND_LABELS[kind], label: clockStateLabel(kind, status), ...status, dueAt: due, doneAt: status.done ? doneAt : null, startedAt: start, paused };
  };
  // A return (退回) answers the referral for this unit: both its clocks stop there.
  const clocks = [clock('sign', r.signDueAt, r.signedAt ?? r.returnedAt, startedAt), clock(workKindOf(r.step), r.dueAt, r.answeredAt ?? r.returnedAt, startedAt)];
  const followUp = r.timers[0];
  // The follow-up clock of the current answer: its timer was (re)planned at the answer, so it is due after it.
  if (r.answeredAt && followUp && followUp.dueAt >= r.answeredAt && (!followUp.cancelledAt || r.closedAt)) {
    clocks.push(clock('follow_up', followUp.dueAt, followUp.firedAt ?? r.closedAt, r.answeredAt));
  }
  return clocks;
}

const KIND_WEIGHT: Record<ClockKind, number> = { sign: 1, transfer: 2, aid_first: 2, approval: 2, paperwork: 2, follow_up: 0 };
/** Clocks still owed come first (overdue, due soon, on time), then done ones (late before on time). */
const rank = (c: ReferralClock) => (c.done ? STATE_SEVERITY[c.state] : 10 + STATE_SEVERITY[c.state]);

/**
 * The clock a one-line view shows: the most pressing one still owed (overdue, then due soon, then the next due);
 * once all are done, a late one if any, else the work clock.
 */
export function primaryClock(clocks: readonly ReferralClock[]): ReferralClock | undefined {
  return [...clocks].sort((a, b) => {
    const r = rank(b) - rank(a);
    if (r !== 0) return r;
    if (!a.done) return a.dueAt.getTime() - b.dueAt.getTime();
    return KIND_WEIGHT[b.kind] - KIND_WEIGHT[a.kind];
  })[0];
}

/** A referral's state for filters and counts: its primary clock's. */
export function referralClockState(r: ClockFields, now: Date): DeadlineState | undefined {
  return primaryClock(referralClocks(r, now))?.state;
}

export interface OpenClockCounts {
  /**
   * By kind: clocks still owed by state (on time, due soon, overdue), and clocks done late (done_late) on referrals
   * still in hand (open, or answered and awaiting the follow-up). Clocks done on time are not counted.
   */
  byKind: Record<ClockKind, Record<DeadlineState, number>>;
  /** Referrals with at least one clock past due and still owed. */
  overdueReferrals: number;
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The clocks of every referral in hand counted by PostgreSQL, in one statement: the rule of referralClocks and
 * deadlineState written out in SQL, on the timestamps themselves (no conversion a row), so a scrape reads a few rows
 * instead of every referral: reading them into the process that answers residents, and judging each there, held it up
 * for a county's worth of referrals per scrape. test/referrals/clock-counts.test.ts checks the two agree on referrals
 * in every state.
 *   - sign: by signDueAt, done at signedAt (or returnedAt), from dispatchedAt (or createdAt);
 *   - work (its kind by step): by dueAt, done at answeredAt (or returnedAt), from the same start;
 *   - follow-up: by the follow-up timer, done when it fired (or the referral closed), from answeredAt; only when the
 *     timer was planned at or after the answer and is not cancelled (unless the referral closed);
 *   - a clock still owed on an open referral with an open pause that began before it fell due is moved on by the
 *     pause so far (effectiveDeadline with one open pause);
 *   - done by now: on time or done late against the due time; owed: overdue past it, due soon with less than
 *     DUE_SOON_FRACTION of the allowed time left, else on time.
 * Times are `timestamp` columns holding UTC (as Prisma writes them); `$1` is now, the same way.
 */
const CLOCK_COUNTS = `
  WITH r AS (
    SELECT r.id, r.step::text AS step, coalesce(r."dispatchedAt", r."createdAt") AS started,
           CASE WHEN r.status IN (${quoted(OPEN_STATUSES)}) THEN p."from" END AS paused_from,
           r."signDueAt" AS sign_due, coalesce(r."signedAt", r."returnedAt") AS sign_done,
           r."dueAt" AS work_due, coalesce(r."answeredAt", r."returnedAt") AS work_done,
           r."answeredAt" AS answered, t."dueAt" AS follow_due, coalesce(t."firedAt", r."closedAt") AS follow_done,
           (t."cancelledAt" IS NULL OR r."closedAt" IS NOT NULL) AS follow_live
      FROM "Referral" r
      LEFT JOIN (SELECT DISTINCT ON ("referralId") "referralId", "from" FROM "ReferralPause" WHERE "to" IS NULL ORDER BY "referralId") p ON p."referralId" = r.id
      LEFT JOIN "ReferralTimer" t ON t."referralId" = r.id AND t.step = 'follow_up'
     WHERE r.status IN (${quoted(CLOCK_STATUSES)})),
  clocks AS (
    SELECT id, 'sign' AS kind, sign_due AS due, sign_done AS done, started AS start, paused_from FROM r
    UNION ALL
    SELECT id, CASE step ${Object.entries(WORK_KIND).map(([step, kind]) => `WHEN '${step}' THEN '${kind}'`).join(' ')} END, work_due, work_done, started, paused_from FROM r
    UNION ALL
    SELECT id, 'follow_up', follow_due, follow_done, answered, paused_from FROM r
     WHERE answered IS NOT NULL AND follow_due IS NOT NULL AND follow_due >= answered AND follow_live),
  owed AS (
    SELECT id, kind, start, done, done IS NOT NULL AND done <= $1::timestamp AS finished,
           CASE WHEN (done IS NULL OR done > $1::timestamp) AND paused_from IS NOT NULL AND paused_from < due
                THEN due + greatest($1::timestamp - paused_from, interval '0') ELSE due END AS due
      FROM clocks),
  judged AS (
    SELECT id, kind, finished,
           CASE WHEN finished THEN CASE WHEN done <= due THEN 'on_time' ELSE 'done_late' END
                WHEN due < $1::timestamp THEN 'overdue'
                WHEN due - $1::timestamp < (due - start) * ${DUE_SOON_FRACTION} THEN 'due_soon'
                ELSE 'on_time' END AS state
      FROM owed)
  SELECT kind, state, count(*)::int AS n FROM judged WHERE NOT (finished AND state = 'on_time') GROUP BY kind, state
  UNION ALL
  SELECT 'referrals', 'overdue', count(DISTINCT id)::int FROM judged WHERE state = 'overdue'`;

/** Counts the clocks of every referral still in hand, as of `now`: what /metrics reports. */
export async function countOpenClocks(sql: Sql | PoolClient, now: Date): Promise<OpenClockCounts> {
  const byKind = Object.fromEntries(CLOCK_KINDS.map((k) => [k, { on_time: 0, due_soon: 0, overdue: 0, done_late: 0 }])) as OpenClockCounts['byKind'];
  let overdueReferrals = 0;
  const { rows } = await sql.query<{ kind: ClockKind | 'referrals'; state: DeadlineState; n: number }>(CLOCK_COUNTS, [now.toISOString()]);
  for (const r of rows) {
    if (r.kind === 'referrals') overdueReferrals = r.n;
    else byKind[r.kind][r.state] += r.n;
  }
  return { byKind, overdueReferrals };
}
