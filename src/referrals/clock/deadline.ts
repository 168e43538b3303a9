import type { Duration } from '../../directory/schema.js';
import type { WorkCalendar } from './calendar.js';
import { instantAt, localParts } from './zone.js';

const HOUR_MS = 3_600_000;

/**
 * `{hours}` adds clock time. `{workingDays: n}` lands at the same local time of day on the n-th working day after
 * the start's local date; a start on a non-working day counts from that date too (Saturday + 1 = Monday).
 */
export function addDuration(start: Date, d: Duration, cal: WorkCalendar, tz: string): Date {
  if (Number.isNaN(start.getTime())) throw new RangeError('invalid start Date');
  if ('hours' in d) return new Date(start.getTime() + d.hours * HOUR_MS);
  const { date, msOfDay } = localParts(start, tz);
  return instantAt(cal.addWorkingDays(date, d.workingDays), msOfDay, tz);
}
