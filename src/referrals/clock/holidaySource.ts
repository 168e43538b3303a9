import { z } from 'zod';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { toDayNumber } from './isoDate.js';

/** Named holidays and make-up working days (调休) of some years; every other day follows Monday–Friday. */
export interface HolidaySource {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  /** Years the source has a calendar for: those in which it names at least one holiday. */
  years: ReadonlySet<number>;
}

export function holidaySource(holidays: Iterable<string>, workdays: Iterable<string>): HolidaySource {
  const checked = (dates: Iterable<string>) => {
    const set = new Set<string>();
    for (const date of dates) {
      toDayNumber(date); // throws on a malformed date
      set.add(date);
    }
    return set;
  };
  const h = checked(holidays);
  return { holidays: h, workdays: checked(workdays), years: new Set([...h].map((d) => Number(d.slice(0, 4)))) };
}

const ChineseDaysData = z.object({
  holidays: z.record(z.string(), z.string()),
  workdays: z.record(z.string(), z.string()),
});

// Read chinese-days' documented JSON rather than call isWorkday(): the functions resolve dates in the
// process timezone and, west of UTC, answer for the wrong day (2026-10-17, a Saturday, comes out a workday).
const parsed = ChineseDaysData.parse(data);

/** The statutory calendar shipped with chinese-days; its coverage grows when the package is updated. */
export const chineseDays: HolidaySource = holidaySource(Object.keys(parsed.holidays), Object.keys(parsed.workdays));
