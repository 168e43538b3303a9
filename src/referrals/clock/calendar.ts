import { createHash } from 'node:crypto';
import { chineseDays, holidaySource, type HolidaySource } from './holidaySource.js';
import { dayNumber, fromDayNumber, toDayNumber, weekday } from './isoDate.js';
import { LUNAR_YEARS, provisionalHolidays } from './provisional.js';

/**
 * Where a year's working days come from: `official` (chinese-days or the county file's published schedule),
 * `provisional` (derived statutory holidays, no make-up days: see provisional.ts) or `weekdays` (Monday to Friday,
 * for a year outside the lunar table).
 */
export type YearSource = 'official' | 'provisional' | 'weekdays';

/** Working days under China's statutory calendar; dates are `YYYY-MM-DD`. */
export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** The n-th working day after `date` (`date` itself never counts); n = 0 returns `date`. */
  addWorkingDays(date: string, n: number): string;
  /** Working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number;
  /** Whether the calendar has published holiday data for `year`, from chinese-days or the county's overrides. */
  covers(year: number): boolean;
  /** Where `year`'s working days come from. */
  sourceOf(year: number): YearSource;
  /** A short digest of `year`'s working days: two calendars with the same digest count that year alike. */
  fingerprint(year: number): string;
}

export interface CalendarOptions {
  /** The county directory's `calendar`: next year's dates, entered when the State Council publishes them. */
  overrides?: { holidays: string[]; workdays: string[] };
  /** Derive a provisional calendar for a year without published data (default); false counts such a year Monday to Friday. */
  provisional?: boolean;
  warn?: (msg: string, data: { year: number; source: YearSource }) => void;
}

/** One year's working-day flags, indexed by day of the year. */
interface Year {
  start: number;
  flags: Uint8Array;
}

export function createWorkCalendar(options: CalendarOptions = {}): WorkCalendar {
  const overrides = holidaySource(options.overrides?.holidays ?? [], options.overrides?.workdays ?? []);
  const clash = [...overrides.holidays].filter((d) => overrides.workdays.has(d));
  if (clash.length > 0) throw new Error(`calendar overrides list ${clash.join(', ')} as both holiday and workday`);
  const warn = options.warn ?? (() => {});
  const covers = (year: number) => chineseDays.years.has(year) || overrides.years.has(year);
  const derive = options.provisional ?? true;
  const provisionalOf = (year: number) => (derive && !covers(year) ? provisionalHolidays(year) : undefined);
  const sourceOf = (year: number): YearSource =>
    covers(year) ? 'official' : derive && year >= LUNAR_YEARS.first && year <= LUNAR_YEARS.last ? 'provisional' : 'weekdays';

  const decide = (day: number, source: HolidaySource) => {
    const date = fromDayNumber(day);
    if (source.workdays.has(date)) return true;
    if (source.holidays.has(date)) return false;
    return undefined;
  };

  // Memoised a year at a time, which also makes the missing-data warning fire once per year.
  const years = new Map<number, Year>();
  const yearOf = (year: number): Year => {
    let y = years.get(year);
    if (y) return y;
    const derived = provisionalOf(year);
    if (derived) warn(`no published holiday schedule for ${year}; counting the derived statutory holidays, without make-up working days`, { year, source: 'provisional' });
    else if (!covers(year)) warn(`no holiday data for ${year}; counting Monday to Friday`, { year, source: 'weekdays' });
    const provisional = holidaySource(derived?.holidays ?? [], []);
    const start = dayNumber(year, 1, 1);
    const flags = new Uint8Array(dayNumber(year + 1, 1, 1) - start);
    for (let i = 0; i < flags.length; i++) {
      const day = start + i;
      const wd = weekday(day);
      flags[i] = (decide(day, overrides) ?? decide(day, chineseDays) ?? decide(day, provisional) ?? (wd >= 1 && wd <= 5)) ? 1 : 0;
    }
    y = { start, flags };
    years.set(year, y);
    return y;
  };

  /** Walks forward from a date, one day per call, returning that day's flag. */
  const cursor = (date: string) => {
    const day = toDayNumber(date);
    let year = Number(date.slice(0, 4));
    let y = yearOf(year);
    let index = day - y.start;
    return {
      next(): number {
        if (++index === y.flags.length) {
          y = yearOf(++year);
          index = 0;
        }
        return y.flags[index]!;
      },
      date: () => fromDayNumber(y.start + index),
    };
  };

  const between = (from: string, to: string): number => {
    const span = toDayNumber(to) - toDayNumber(from);
    if (span < 0) return -between(to, from);
    const c = cursor(from);
    let count = 0;
    for (let i = 0; i < span; i++) count += c.next();
    return count;
  };

  // A sweep asks for the same few limits from the same few hundred dates, so answers are kept per (n, date).
  const sums = new Map<number, Map<string, string>>();

  return {
    isWorkday(date) {
      const day = toDayNumber(date);
      const y = yearOf(Number(date.slice(0, 4)));
      return y.flags[day - y.start] === 1;
    },
    addWorkingDays(date, n) {
      let byDate = sums.get(n);
      if (!byDate) {
        if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
        sums.set(n, (byDate = new Map()));
      }
      let result = byDate.get(date);
      if (result === undefined) {
        const c = cursor(date);
        for (let left = n; left > 0; ) left -= c.next();
        byDate.set(date, (result = c.date()));
      }
      return result;
    },
    workingDaysBetween: between,
    covers,
    sourceOf,
    fingerprint(year) {
      return `${sourceOf(year)}:${createHash('sha256').update(yearOf(year).flags).digest('hex').slice(0, 16)}`;
    },
  };
}
