import type { DeadlineState } from '../referrals/clock/deadline-state.js';
import { primaryClock, referralClocks, type ClockFields, type ReferralClock } from '../referrals/clock-states.js';

export type ClockState = DeadlineState | 'none';

/** One clock as staff see it. */
function view(c: ReferralClock) {
  return {
    kind: c.kind,
    kindLabel: c.kindLabel,
    state: c.state,
    label: c.label,
    done: c.done,
    dueAt: c.dueAt.toISOString(),
    doneAt: c.doneAt?.toISOString() ?? null,
    msLeft: c.msLeft,
    paused: c.paused,
  };
}
export type ClockView = ReturnType<typeof view>;

/**
 * Where a referral's clocks stand: the most pressing one for a one-line view (a missed urgent sign-for deadline
 * shows as 签收 已超期, not as the handling time still left), and every clock for the full view.
 */
export function clockOf(r: ClockFields, now: Date) {
  const clocks = referralClocks(r, now);
  const main = primaryClock(clocks);
  return {
    state: (main?.state ?? 'none') as ClockState,
    kind: main?.kind ?? null,
    kindLabel: main?.kindLabel ?? null,
    label: main?.label ?? '—',
    done: main?.done ?? true,
    msLeft: main?.msLeft ?? null,
    paused: main?.paused ?? false,
    dueAt: main?.dueAt.toISOString() ?? null,
    clocks: clocks.map(view),
  };
}
export type ReferralClockView = ReturnType<typeof clockOf>;

/** A referral's clock in words for a register cell: 已超期（签收）, 按时办结（审核审批）; other missed clocks follow. */
export function clockText(clock: ReferralClockView): string {
  if (clock.state === 'none') return '—';
  const others = clock.clocks.filter((c) => c.kind !== clock.kind && (c.state === 'overdue' || c.state === 'done_late'));
  return [`${clock.label}（${clock.kindLabel}）`, ...others.map((c) => `${c.label}（${c.kindLabel}）`)].join('；');
}
