import type { z } from 'zod';
import type { Duration, Escalation } from '../../directory/schema.js';
import type { WorkCalendar } from './calendar.js';
import { addDuration } from './deadline.js';

export type LadderStep = 'reminder' | 'urge' | 'supervise' | 'duty';

export interface LadderEntry {
  step: LadderStep;
  at: Date;
}

export interface LadderInput {
  startedAt: Date;
  deadline: Date;
  urgent: boolean;
  signedAt: Date | null;
  escalation: z.infer<typeof Escalation>;
  signUrgentLimit: Duration;
  cal: WorkCalendar;
  tz: string;
}

/**
 * The escalation ladder of one clock, earliest first: reminder to the assignee part-way, urge (催办) at the deadline,
 * supervision (督办) some working days later, and for urgent referrals not yet signed, the duty officer.
 */
export function planLadder(input: LadderInput): LadderEntry[] {
  const { startedAt, deadline, escalation, cal, tz } = input;
  const allowed = deadline.getTime() - startedAt.getTime();
  if (!(allowed >= 0)) throw new RangeError('deadline is before the clock started');
  const plan: LadderEntry[] = [
    { step: 'reminder', at: new Date(startedAt.getTime() + Math.round(allowed * escalation.reminderAt)) },
    { step: 'urge', at: deadline },
    { step: 'supervise', at: addDuration(deadline, { workingDays: escalation.superviseAfterWorkingDays }, cal, tz) },
  ];
  if (input.urgent && !input.signedAt) plan.push({ step: 'duty', at: addDuration(startedAt, input.signUrgentLimit, cal, tz) });
  // Array sort is stable, so steps due at the same instant keep ladder order.
  return plan.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Steps to fire now (due, not yet fired) and the next one to wake up for. */
export function nextDue(
  plan: readonly LadderEntry[],
  fired: ReadonlySet<LadderStep>,
  now: Date,
): { due: LadderEntry[]; next: LadderEntry | null } {
  const pending = plan.filter((e) => !fired.has(e.step));
  return {
    due: pending.filter((e) => e.at.getTime() <= now.getTime()),
    next: pending.find((e) => e.at.getTime() > now.getTime()) ?? null,
  };
}
