import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { StaffRole } from '../generated/prisma/enums.js';
import type { Logger } from '../logging.js';
import type { WorkCalendar } from './clock/calendar.js';
import type { LadderStep } from './clock/ladder.js';

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
  /**
   * `created`: every armed timer's row was created by this change (a new referral), so no job of theirs can exist yet
   * and none is looked for to be replaced.
   */
  apply(changes: TimerChanges, opts?: { created?: boolean }): Promise<void>;
}

/** Hands staged outbound messages (Message rows with status queued) to the sending queue. */
export interface Outbox {
  dispatch(idempotencyKeys: string[]): Promise<void>;
}

/**
 * What referral functions need: the base services plus the county calendar and the two job
 * seams. `createJobs(deps).ports` provides the last three, so callers pass `{ ...deps, ...jobs.ports }`.
 */
export type ReferralDeps = {
  db: Db;
  logger: Logger;
  directory: LoadedDirectory;
  config: Config;
  calendar: WorkCalendar;
  timers: TimerScheduler;
  outbox: Outbox;
};

/** Who acts on a referral; staff are checked against the roles a step needs. */
export type Actor = { type: 'staff'; id: string; role: StaffRole } | { type: 'resident'; id?: string } | { type: 'system' };
