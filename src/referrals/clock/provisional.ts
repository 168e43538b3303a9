import chineseDaysLib from 'chinese-days';
import { DAY_MS, dayNumber, fromDayNumber, toDayNumber, weekday } from './isoDate.js';

/**
 * A provisional holiday calendar for a year the State Council has not published yet: the statutory festivals with
 * the lengths the published schedules usually give them, and no make-up working days (调休), which nobody can know in
 * advance. It errs on the generous side: the published schedule usually trades one or two of these days off for a
 * worked weekend, so a deadline counted on it can fall a day or two later than the official one, never earlier.
 *
 * - 元旦: 1 January, one day.
 * - 春节: the eve (除夕, the day before 正月初一) and the seven days after it: eight days.
 * - 清明: the day of the 清明 solar term; 端午: 五月初五; 中秋: 八月十五; each as the usual three-day break joined to the
 *   weekend (Sat–Mon for a Monday, Sunday or Saturday festival, Sun–Tue for a Tuesday, Thu–Sat for a Thursday, Fri–Sun
 *   for a Friday), or the day alone when it falls on a Wednesday.
 * - 劳动节: 1–5 May.
 * - 国庆: 1–7 October; when 中秋 falls between 29 September and 8 October the two make one eight-day break starting on
 *   whichever comes first, as in 2017, 2020, 2023 and 2025.
 *
 * Lunar dates come from chinese-days' lunar table (its `monthDays` and `getYearLeapMonth`), counted here in plain day
 * numbers: the package's own date functions read dates in the process timezone and are a day off west of UTC.
 */

export interface ProvisionalYear {
  year: number;
  festivals: { name: string; dates: string[] }[];
  /** Every holiday date of the year, sorted. */
  holidays: string[];
}

/** chinese-days' lunar table runs from 1900 to 2100; the eve of a year's 正月初一 needs the year before. */
export const LUNAR_YEARS = { first: 1901, last: 2099 } as const;

/** 正月初一 of lunar year 1900. */
const LUNAR_EPOCH = dayNumber(1900, 1, 31);

const leapMonthOf = (y: number) => chineseDaysLib.getYearLeapMonth(y);

function lunarYearDays(y: number): number {
  let days = 0;
  for (let m = 1; m <= 12; m++) days += chineseDaysLib.monthDays(y, m);
  return days + leapMonthOf(y).days;
}

/** Day number of 正月初一 per lunar year, filled as asked. */
const newYears = new Map<number, number>([[1900, LUNAR_EPOCH]]);
function lunarNewYear(y: number): number {
  let known = y;
  while (!newYears.has(known)) known -= 1;
  let day = newYears.get(known)!;
  for (let year = known; year < y; year++) {
    day += lunarYearDays(year);
    newYears.set(year + 1, day);
  }
  return day;
}

/** The day number of a date of the lunar calendar (never the leap month of that number). */
export function lunarToDay(year: number, month: number, day: number): number {
  if (year < 1900 || year > 2100) throw new RangeError(`no lunar data for ${year}`);
  const leap = leapMonthOf(year);
  let offset = 0;
  for (let m = 1; m < month; m++) {
    offset += chineseDaysLib.monthDays(year, m);
    if (leap.leapMonth === m) offset += leap.days;
  }
  return lunarNewYear(year) + offset + day - 1;
}

/**
 * The day of a solar term, from chinese-days' formula. The package builds the date at UTC midnight and formats it in
 * the process timezone, so the day it prints is read back here as the day whose UTC midnight shows it locally.
 */
export function solarTermDay(year: number, month: number, term: Parameters<typeof chineseDaysLib.getSolarTermDate>[2]): number {
  const printed = chineseDaysLib.getSolarTermDate(year, month, term);
  const guess = toDayNumber(printed);
  for (const day of [guess, guess + 1, guess - 1]) {
    const local = new Date(day * DAY_MS);
    const shown = dayNumber(local.getFullYear(), local.getMonth() + 1, local.getDate());
    if (shown === guess) return day;
  }
  return guess;
}

const span = (from: number, days: number) => Array.from({ length: days }, (_, i) => from + i);

/** The usual three-day break around a one-day festival, joined to the weekend (a Wednesday festival stays one day). */
function threeDayBreak(day: number): number[] {
  switch (weekday(day)) {
    case 1: // Monday: Sat–Mon
    case 2: // Tuesday: Sun–Tue
      return span(day - 2, 3);
    case 3: // Wednesday: the day alone
      return [day];
    case 0: // Sunday: Sat–Mon
      return span(day - 1, 3);
    default: // Thursday, Friday, Saturday: that day and the two after
      return span(day, 3);
  }
}

/** The provisional holidays of `year`, or undefined outside the years the lunar table covers. */
export function provisionalHolidays(year: number): ProvisionalYear | undefined {
  if (!Number.isInteger(year) || year < LUNAR_YEARS.first || year > LUNAR_YEARS.last) return undefined;
  const springFestival = lunarToDay(year, 1, 1);
  const midAutumn = lunarToDay(year, 8, 15);
  const oct1 = dayNumber(year, 10, 1);
  const merged = midAutumn >= oct1 - 2 && midAutumn <= oct1 + 7;
  const festivals: { name: string; days: number[] }[] = [
    { name: '元旦', days: [dayNumber(year, 1, 1)] },
    { name: '春节', days: span(springFestival - 1, 8) },
    { name: '清明节', days: threeDayBreak(solarTermDay(year, 4, 'pure_brightness')) },
    { name: '劳动节', days: span(dayNumber(year, 5, 1), 5) },
    { name: '端午节', days: threeDayBreak(lunarToDay(year, 5, 5)) },
    ...(merged
      ? [{ name: '中秋节、国庆节', days: span(Math.min(midAutumn, oct1), 8) }]
      : [
          { name: '中秋节', days: threeDayBreak(midAutumn) },
          { name: '国庆节', days: span(oct1, 7) },
        ]),
  ];
  const all = new Set<number>();
  for (const f of festivals) for (const d of f.days) all.add(d);
  return {
    year,
    festivals: festivals.map((f) => ({ name: f.name, dates: f.days.map(fromDayNumber) })),
    holidays: [...all].sort((a, b) => a - b).map(fromDayNumber),
  };
}

/** What staff are told while `year`'s deadlines count a calendar the State Council has not published yet. */
export function provisionalNotice(year: number, source: 'official' | 'provisional' | 'weekdays' = 'provisional'): string {
  return source === 'weekdays'
    ? `${year}年节假日安排尚未发布，暂按周一至周五计算工作日，调休以国务院公布为准`
    : `${year}年节假日安排尚未发布，暂按推算的法定节假日计算，调休以国务院公布为准`;
}
