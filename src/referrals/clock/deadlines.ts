import { z } from 'zod';
import type { CategoryCode } from '../../domain/categories.js';
import type { CategoryPolicy, Duration, TimeLimits } from '../../directory/schema.js';
import type { WorkCalendar } from './calendar.js';
import { addDuration } from './deadline.js';

/**
 * Which clock a referral runs: the referral steps (转办 notify, township investigate, agency handle, 先行救助
 * aid_first) plus `paperwork`, the emergency paperwork that follows aid given first.
 */
export const ClockKind = z.enum(['notify', 'investigate', 'handle', 'aid_first', 'paperwork']);
export type ClockKind = z.infer<typeof ClockKind>;

export interface DeadlinesInput {
  kind: ClockKind;
  category: CategoryCode;
  urgent: boolean;
  /** When the clock starts: the referral's creation; for `paperwork`, when the aid was given. */
  createdAt: Date;
  limits: TimeLimits;
  /** The directory's policy for `category`, if it has one. */
  categoryPolicy?: Pick<z.infer<typeof CategoryPolicy>, 'code' | 'approval'>;
  cal: WorkCalendar;
  tz: string;
}

/** The limit for finishing the work of a clock, before the calendar is applied. */
export function handleLimit(kind: ClockKind, limits: TimeLimits, policy?: { approval?: Duration }): Duration {
  switch (kind) {
    case 'aid_first':
      return limits.emergencyAidFirst;
    case 'paperwork':
      return limits.emergencyPaperwork;
    case 'investigate':
    case 'handle':
      return policy?.approval ?? limits.approval;
    case 'notify':
      return limits.transfer;
  }
}

/** When the referral must be signed for (签收) and when its work is due. */
export function deadlinesFor(input: DeadlinesInput): { sign: Date; handle: Date } {
  const { kind, category, urgent, createdAt, limits, categoryPolicy, cal, tz } = input;
  if (categoryPolicy && categoryPolicy.code !== category) {
    throw new Error(`category policy "${categoryPolicy.code}" given for a "${category}" referral`);
  }
  return {
    sign: addDuration(createdAt, urgent ? limits.signUrgent : limits.sign, cal, tz),
    handle: addDuration(createdAt, handleLimit(kind, limits, categoryPolicy), cal, tz),
  };
}
