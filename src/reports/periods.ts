import type { ReportPeriod } from '../generated/prisma/enums.js';
import { fromDayNumber, toDayNumber } from '../referrals/clock/isoDate.js';
import { instantAt, localParts } from '../referrals/clock/zone.js';

/**
 * A report period is named by its key in the county's local calendar: `YYYY-MM` for a month, `YYYY-MM-DD` for a
 * day. Stored rows carry the kind and the local date the period starts on; these functions convert between them.
 */

const MONTH_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The local date (YYYY-MM-DD) a period starts on; a RangeError for a key that does not name a period of its kind. */
export function periodStartDate(period: ReportPeriod, key: string): string {
  if (period === 'month') {
    if (!MONTH_KEY.test(key)) throw new RangeError(`not a YYYY-MM month: "${key}"`);
    return `${key}-01`;
  }
  // toDayNumber refuses malformed and non-existent dates (2026-02-30).
  return fromDayNumber(toDayNumber(key));
}

/** The key of the period of that kind a local date (YYYY-MM-DD) falls in. */
export function periodKeyOf(period: ReportPeriod, date: string): string {
  return period === 'month' ? date.slice(0, 7) : date;
}

/** The key `n` periods after (negative: before) the one named. */
export function shiftPeriod(period: ReportPeriod, key: string, n: number): string {
  const start = periodStartDate(period, key);
  if (period === 'day') return fromDayNumber(toDayNumber(start) + n);
  const months = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(months / 12)).padStart(4, '0')}-${String((months % 12) + 1).padStart(2, '0')}`;
}

/** The instants [from, to) a period covers: local midnight to local midnight in `tz`. */
export function periodRange(period: ReportPeriod, key: string, tz: string): { from: Date; to: Date } {
  return { from: instantAt(periodStartDate(period, key), 0, tz), to: instantAt(periodStartDate(period, shiftPeriod(period, key, 1)), 0, tz) };
}

/** The period `now` falls in, locally. */
function currentPeriod(period: ReportPeriod, now: Date, tz: string): string {
  return periodKeyOf(period, localParts(now, tz).date);
}

/** The period before the one `now` falls in: the last complete one, which the report jobs store. */
export function previousPeriod(period: ReportPeriod, now: Date, tz: string): string {
  return shiftPeriod(period, currentPeriod(period, now, tz), -1);
}

/** A local date as a PostgreSQL DATE column travels through Prisma: midnight UTC of that date. */
export const asDateColumn = (date: string): Date => new Date(`${date}T00:00:00.000Z`);

/** The local date (YYYY-MM-DD) a DATE column holds. */
export const fromDateColumn = (column: Date): string => column.toISOString().slice(0, 10);
