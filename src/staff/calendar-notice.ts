import type { StaffDeps } from './ports.js';
import type { Duration } from '../directory/schema.js';
import type { WorkCalendar, YearSource } from '../referrals/clock/calendar.js';
import { addDuration } from '../referrals/clock/deadline.js';
import { provisionalNotice } from '../referrals/clock/provisional.js';
import { localParts } from '../referrals/clock/zone.js';
import { CLOCK_STATUSES } from '../referrals/clock-states.js';

export interface CalendarNotice {
  year: number;
  source: Exclude<YearSource, 'official'>;
  text: string;
}

/**
 * The years whose deadlines are counted on a calendar the State Council has not published (provisional, or plain
 * weekdays beyond the lunar table), among the years clocks run through now: from this year to the later of the
 * longest limit opened now and the latest deadline still owed. What the supervisor dashboard warns about.
 */
export async function calendarNotices(deps: Pick<StaffDeps, 'db' | 'directory'> & { calendar: WorkCalendar }, now: Date): Promise<CalendarNotice[]> {
  const dir = deps.directory.directory;
  const tz = dir.county.timezone;
  const yearOf = (d: Date) => Number(localParts(d, tz).date.slice(0, 4));
  const limits: Duration[] = [
    ...Object.values(dir.timeLimits).filter((v): v is Duration => typeof v === 'object'),
    ...dir.categories.flatMap((c) => (c.approval ? [c.approval] : [])),
  ];
  const opened = limits.map((d) => yearOf(addDuration(now, d, deps.calendar, tz)));
  const latest = await deps.db.referral.aggregate({ where: { status: { in: [...CLOCK_STATUSES] } }, _max: { dueAt: true, signDueAt: true } });
  const owed = [latest._max.dueAt, latest._max.signDueAt].filter((d): d is Date => !!d).map(yearOf);
  const first = yearOf(now);
  const last = Math.max(first, ...opened, ...owed);
  const notices: CalendarNotice[] = [];
  for (let year = first; year <= last; year++) {
    const source = deps.calendar.sourceOf(year);
    if (source !== 'official') notices.push({ year, source, text: provisionalNotice(year, source) });
  }
  return notices;
}
