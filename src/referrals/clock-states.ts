import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { ReferralStatus, ReferralStep } from '../generated/prisma/enums.js';
import { deadlineState, STATE_SEVERITY, type DeadlineState, type DeadlineStatus } from './clock/deadline-state.js';
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

/** Counts the clocks of every referral still in hand, as of `now`: what /metrics reports. */
export async function countOpenClocks(db: Db, now: Date): Promise<OpenClockCounts> {
  const byKind = Object.fromEntries(CLOCK_KINDS.map((k) => [k, { on_time: 0, due_soon: 0, overdue: 0, done_late: 0 }])) as OpenClockCounts['byKind'];
  let overdueReferrals = 0;
  const PAGE = 5000;
  for (let after: string | undefined; ; ) {
    const rows = await db.referral.findMany({
      where: { status: { in: [...CLOCK_STATUSES] }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, ...clockSelect },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (rows.length === 0) break;
    for (const r of rows) {
      let overdue = false;
      for (const c of referralClocks(r, now)) {
        if (c.done && c.state === 'on_time') continue;
        byKind[c.kind][c.state] += 1;
        if (c.state === 'overdue') overdue = true;
      }
      if (overdue) overdueReferrals += 1;
    }
    after = rows[rows.length - 1]!.id;
  }
  return { byKind, overdueReferrals };
}
