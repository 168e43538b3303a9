import { fromDayNumber, toDayNumber } from './isoDate.js';
import { instantAt } from './zone.js';

/**
 * When units must have reported a month's handled applications: the last millisecond of local day `day` of the
 * following month, so a report is on time while `reportedAt <= due`.
 */
export function monthlyReportDue(month: string, day: number, tz: string): Date {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`not a YYYY-MM month: "${month}"`);
  const [year, mon] = Number(m[2]) === 12 ? [Number(m[1]) + 1, 1] : [Number(m[1]), Number(m[2]) + 1];
  const dueDay = toDayNumber(`${String(year).padStart(4, '0')}-${String(mon).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  return new Date(instantAt(fromDayNumber(dueDay + 1), 0, tz).getTime() - 1);
}
