/**
 * Where one deadline stands: the single rule every worklist, view, count, report and metric reads, so a missed
 * deadline looks the same everywhere.
 * - `on_time` (按时): not yet due with more than a quarter of the allowed time left, or done by its due time;
 * - `due_soon` (即将到期): not done, less than a quarter of the allowed time left;
 * - `overdue` (已超期): not done and past its due time;
 * - `done_late` (超期办结): done, but after its due time.
 */
export type DeadlineState = 'on_time' | 'due_soon' | 'overdue' | 'done_late';

export const DEADLINE_STATES: readonly DeadlineState[] = ['on_time', 'due_soon', 'overdue', 'done_late'];

export const DEADLINE_STATE_LABELS: Record<DeadlineState, string> = {
  on_time: '按时',
  due_soon: '即将到期',
  overdue: '已超期',
  done_late: '超期办结',
};

/** "Due soon" once less than this share of the allowed time is left. */
export const DUE_SOON_FRACTION = 0.25;

export interface DeadlineInput {
  dueAt: Date;
  /** When the work was done; null while it is still owed (a time after `now` counts as not done yet). */
  doneAt: Date | null;
  now: Date;
  /** When the clock started; without it nothing is ever "due soon". */
  startedAt?: Date;
}

export interface DeadlineStatus {
  state: DeadlineState;
  done: boolean;
  /** Time left until the deadline while owed (negative once overdue); null once done. */
  msLeft: number | null;
  /**
   * Whether it counts in an on-time rate: done, or past due. Work still owed and not yet due has not failed or
   * succeeded, so it is left out of rates instead of counting as a failure.
   */
  counted: boolean;
}

/** The state of one deadline from its due time, its done time and now. A deadline is met up to and including `dueAt`. */
export function deadlineState({ dueAt, doneAt, now, startedAt }: DeadlineInput): DeadlineStatus {
  const due = dueAt.getTime();
  if (doneAt && doneAt.getTime() <= now.getTime()) return { state: doneAt.getTime() <= due ? 'on_time' : 'done_late', done: true, msLeft: null, counted: true };
  const left = due - now.getTime();
  if (left < 0) return { state: 'overdue', done: false, msLeft: left, counted: true };
  const allowed = startedAt ? due - startedAt.getTime() : 0;
  return { state: left < allowed * DUE_SOON_FRACTION ? 'due_soon' : 'on_time', done: false, msLeft: left, counted: false };
}

/** Severity for picking the clock a one-line view shows: what needs action first. */
export const STATE_SEVERITY: Record<DeadlineState, number> = { overdue: 3, due_soon: 2, done_late: 1, on_time: 0 };
