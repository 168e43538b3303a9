import { chineseDays, holidaySource, type HolidaySource } from './holidaySource.js';
import { dayNumber, fromDayNumber, toDayNumber, weekday } from './isoDate.js';

/** Working days under China's statutory calendar; dates are `YYYY-MM-DD`. */
export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** The n-th working day after `date` (`date` itself never counts); n = 0 returns `date`. */
  addWorkingDays(date: string, n: number): string;
  /** Working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number;
  /** Whether the calendar has holiday data for `year`, from chinese-days or the county's overrides. */
  covers(year: number): boolean;
}

export interface CalendarOptions {
  /** The county directory's `calendar`: next year's dates, entered when the State Council publishes them. */
  overrides?: { holidays: string[]; workdays: string[] };
  warn?: (msg: string, data: object) => void;
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
    if (!covers(year)) warn(`no holiday data for ${year}; counting Monday to Friday`, { year });
    const start = dayNumber(year, 1, 1);
    const flags = new Uint8Array(dayNumber(year + 1, 1, 1) - start);
    for (let i = 0; i < flags.length; i++) {
      const day = start + i;
      const wd = weekday(day);
      flags[i] = (decide(day, overrides) ?? decide(day, chineseDays) ?? (wd >= 1 && wd <= 5)) ? 1 : 0;
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
  };
}
