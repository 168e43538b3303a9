import type { CategoryCode } from '../domain/categories.js';
import type { ReferralStep } from '../generated/prisma/enums.js';
import { addDuration } from './clock/deadline.js';
import { deadlinesFor, handleLimit } from './clock/deadlines.js';
import { planLadder, type LadderEntry } from './clock/ladder.js';
import { localParts } from './clock/zone.js';
import type { ReferralDeps } from './ports.js';

type ClockDeps = Pick<ReferralDeps, 'directory' | 'calendar'>;

const settings = (deps: ClockDeps) => {
  const dir = deps.directory.directory;
  return { dir, limits: dir.timeLimits, tz: dir.county.timezone, cal: deps.calendar };
};

/** When a referral must be signed for and when its work is due, counted from `start`. */
export function referralDeadlines(deps: ClockDeps, r: { step: ReferralStep; category: string; urgent: boolean }, start: Date) {
  const { dir, limits, tz, cal } = settings(deps);
  const policy = dir.categories.find((c) => c.code === r.category);
  return deadlinesFor({ kind: r.step, category: r.category as CategoryCode, urgent: r.urgent, createdAt: start, limits, categoryPolicy: policy, cal, tz });
}

/** A fresh handling deadline from `start`, for a referral reopened after an unsatisfied follow-up. */
export function handleDeadline(deps: ClockDeps, r: { step: ReferralStep; category: string }, start: Date): Date {
  const { dir, limits, tz, cal } = settings(deps);
  return addDuration(start, handleLimit(r.step, limits, dir.categories.find((c) => c.code === r.category)), cal, tz);
}

/** The escalation ladder of a referral's handling clock. */
export function ladder(deps: ClockDeps, r: { urgent: boolean; signedAt: Date | null }, start: Date, deadline: Date): LadderEntry[] {
  const { dir, limits, tz, cal } = settings(deps);
  return planLadder({ startedAt: start, deadline, urgent: r.urgent, signedAt: r.signedAt, escalation: dir.escalation, signUrgentLimit: limits.signUrgent, cal, tz });
}

/** When the resident is asked whether they are satisfied (回访). */
export function followUpAt(deps: ClockDeps, answeredAt: Date): Date {
  const { limits, tz, cal } = settings(deps);
  return addDuration(answeredAt, limits.followUp, cal, tz);
}

/** A local wall-clock time for messages, e.g. 2026-10-09 10:00. */
export function formatLocal(deps: Pick<ReferralDeps, 'directory'>, at: Date): string {
  // Through the clock's cached offsets: a new Intl formatter for every message cost more than the rest of it.
  const { date, msOfDay } = localParts(at, deps.directory.directory.county.timezone);
  const minutes = Math.floor(msOfDay / 60_000);
  return `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
