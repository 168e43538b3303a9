import type { Deps } from '../composition.js';
import type { StaffRole } from '../generated/prisma/enums.js';
import type { WorkCalendar } from '../jobs/clock/calendar.js';
import type { LadderStep } from '../jobs/clock/ladder.js';

/** The escalation ladder's steps plus the follow-up question (回访) sent after an answer. */
export type TimerStep = LadderStep | 'follow_up';
export const TIMER_STEPS = ['reminder', 'urge', 'supervise', 'duty', 'follow_up'] as const satisfies readonly TimerStep[];

/** One ReferralTimer row as the job system needs it. */
export interface TimerRef {
  referralId: string;
  step: TimerStep;
  dueAt: Date;
}

/** What a change did to a referral's timer rows, for the job system to mirror after the commit. */
export interface TimerChanges {
  armed: TimerRef[];
  disarmed: TimerRef[];
}

/**
 * Arms and disarms the delayed jobs behind ReferralTimer rows; the rows are written first and stay the truth. Only
 * timers due within the job system's horizon get a job at once; later ones get theirs from the sweep.
 */
export interface TimerScheduler {
  apply(changes: TimerChanges): Promise<void>;
}

/** Hands staged outbound messages (Message rows with status queued) to the sending queue. */
export interface Outbox {
  dispatch(idempotencyKeys: string[]): Promise<void>;
}

/**
 * What referral functions need: the composition root's dependencies plus the county calendar and the two job
 * seams. `createJobs(deps).ports` provides the last three, so callers pass `{ ...deps, ...jobs.ports }`.
 */
export type ReferralDeps = Pick<Deps, 'db' | 'logger' | 'directory' | 'config'> & {
  calendar: WorkCalendar;
  timers: TimerScheduler;
  outbox: Outbox;
};

/** Who acts on a referral; staff are checked against the roles a step needs. */
export type Actor = { type: 'staff'; id: string; role: StaffRole } | { type: 'resident'; id?: string } | { type: 'system' };
