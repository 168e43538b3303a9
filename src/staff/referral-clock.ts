import type { Referral } from '../generated/prisma/client.js';
import { OPEN_STATUSES } from '../referrals/transitions.js';

export type ClockState = 'on_time' | 'due_soon' | 'overdue' | 'paused' | 'finished';

export const CLOCK_LABELS: Record<ClockState, string> = {
  on_time: '正常',
  due_soon: '即将到期',
  overdue: '已逾期',
  paused: '暂停计时',
  finished: '已结束',
};

/** "Due soon" once less than a quarter of the allowed time is left. */
export const DUE_SOON_FRACTION = 0.25;

type Clocked = Pick<Referral, 'status' | 'dueAt' | 'dispatchedAt' | 'createdAt' | 'signedAt' | 'signDueAt' | 'answeredAt'>;

/** Where a referral's clock stands: what the worklist colours, with the sign-for deadline checked on its own. */
export function clockOf(r: Clocked, now: Date, paused: boolean) {
  const open = OPEN_STATUSES.includes(r.status);
  const start = (r.dispatchedAt ?? r.createdAt).getTime();
  const left = r.dueAt.getTime() - now.getTime();
  const state: ClockState = !open
    ? 'finished'
    : paused
      ? 'paused'
      : left < 0
        ? 'overdue'
        : left < (r.dueAt.getTime() - start) * DUE_SOON_FRACTION
          ? 'due_soon'
          : 'on_time';
  // A finished referral says whether its answer came in time, which is what the county's figures ask.
  const label = state === 'finished' && r.answeredAt ? (r.answeredAt <= r.dueAt ? '按时反馈' : '超期反馈') : CLOCK_LABELS[state];
  return {
    state,
    label,
    msLeft: open ? left : null,
    /** Not signed for by its sign-for deadline (签收超时). */
    signLate: open && !r.signedAt && r.signDueAt < now,
  };
}
