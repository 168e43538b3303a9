import { describe, expect, it, vi } from 'vitest';
import chineseDaysLib from 'chinese-days';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { createWorkCalendar } from '../../../src/referrals/clock/calendar.js';
import { fromDayNumber, toDayNumber } from '../../../src/referrals/clock/isoDate.js';

const holidays: Record<string, string> = data.holidays;
const workdays: Record<string, string> = data.workdays;

describe('chinese-days data the examples rely on', () => {
  it('lists 2026-10-01..07 as National Day holidays and 2026-09-20 (Sun), 2026-10-10 (Sat) as make-up workdays', () => {
    for (let d = 1; d <= 7; d++) expect(holidays[`2026-10-0${d}`]).toContain('国庆节');
    expect(workdays['2026-09-20']).toContain('国庆节');
    expect(workdays['2026-10-10']).toContain('国庆节');
  });

  it('lists 2026-09-27 as a Mid-autumn holiday (中秋 09-25..27), not a make-up day', () => {
    expect(holidays['2026-09-27']).toContain('中秋');
    expect(workdays['2026-09-27']).toBeUndefined();
  });

  it('lists Spring Festival 2026 as 02-15..23 off with 02-14 (Sat) and 02-28 (Sat) worked', () => {
    for (let d = 15; d <= 23; d++) expect(holidays[`2026-02-${d}`]).toContain('春节');
    expect(workdays['2026-02-14']).toContain('春节');
    expect(workdays['2026-02-28']).toContain('春节');
  });
});

describe('createWorkCalendar with chinese-days', () => {
  const cal = createWorkCalendar();

  it('covers exactly the years chinese-days names holidays in (2004–2026 in 1.5.7)', () => {
    const years = new Set(Object.keys(holidays).map((d) => Number(d.slice(0, 4))));
    for (const y of years) expect(cal.covers(y)).toBe(true);
    expect(cal.covers(2003)).toBe(false);
    expect(cal.covers(2031)).toBe(false);
  });

  // The package's own isWorkday() reads dates in the process timezone and is a day off west of UTC.
  it.skipIf(new Date(2026, 0, 1).getTimezoneOffset() > 0)('agrees with chinese-days isWorkday() on every day of 2004–2026', () => {
    const warn = vi.fn();
    const own = createWorkCalendar({ warn });
    for (let day = toDayNumber('2004-01-01'); day <= toDayNumber('2026-12-31'); day++) {
      const date = fromDayNumber(day);
      if (own.isWorkday(date) !== chineseDaysLib.isWorkday(date)) expect.fail(`disagree on ${date}`);
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('2 working days after Wed 2026-09-30 is Fri 2026-10-09 (10-01..07 National Day)', () => {
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-30', 2)).toBe('2026-10-09');
  });

  it('1 working day after Fri 2026-10-09 is Sat 2026-10-10, a make-up day per chinese-days', () => {
    expect(cal.isWorkday('2026-10-10')).toBe(true);
    expect(cal.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
    expect(cal.addWorkingDays('2026-10-10', 1)).toBe('2026-10-12');
  });

  it('National Day week 2026: off 10-01..07 and Sun 10-11, at work 10-08..10', () => {
    const week = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];
    for (const d of week) expect(cal.isWorkday(d)).toBe(false);
    expect(['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-11'].map(cal.isWorkday)).toEqual([true, true, true, false]);
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-11')).toBe(3);
  });

  it('Mid-autumn 2026: Fri 09-25 is off, so 1 working day after Thu 09-24 is Mon 09-28', () => {
    expect(cal.isWorkday('2026-09-25')).toBe(false);
    expect(cal.addWorkingDays('2026-09-24', 1)).toBe('2026-09-28');
  });

  it('Spring Festival 2026: Sat 02-14 is worked, 02-15..23 off, Sat 02-28 worked', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28');
    expect(cal.addWorkingDays('2026-02-13', 7)).toBe('2026-03-02');
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });

  it('make-up Sundays: 1 working day after Sat 2026-09-19 is Sun 09-20; after Wed 2025-12-31 is Sun 2026-01-04', () => {
    expect(cal.addWorkingDays('2026-09-19', 1)).toBe('2026-09-20');
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
  });

  it('counts from a Saturday start: Sat 2026-03-07 + 1 working day = Mon 2026-03-09', () => {
    expect(cal.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
  });

  it('adding 0 returns the date itself and workingDaysBetween inverts addWorkingDays', () => {
    expect(cal.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(cal.workingDaysBetween('2026-09-30', cal.addWorkingDays('2026-09-30', 20))).toBe(20);
    expect(cal.workingDaysBetween('2026-10-09', '2026-09-30')).toBe(-2);
    expect(cal.workingDaysBetween('2026-10-09', '2026-10-09')).toBe(0);
  });

  it('rejects malformed dates and counts', () => {
    expect(() => cal.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026/10/09', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-10-09', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-10-09', 1.5)).toThrow(RangeError);
  });
});

describe('years without holiday data', () => {
  it('are counted on a provisional calendar: 2031 New Year (a Wednesday) is off, and the year is said once', () => {
    const warn = vi.fn();
    const cal = createWorkCalendar({ warn });
    expect(cal.covers(2031)).toBe(false);
    expect(cal.sourceOf(2031)).toBe('provisional');
    expect(cal.isWorkday('2031-01-01')).toBe(false);
    expect(cal.isWorkday('2031-01-04')).toBe(false); // Saturday
    expect(cal.addWorkingDays('2031-09-30', 2)).toBe('2031-10-10'); // 中秋 falls on 10-01: one break 10-01..08
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no published holiday schedule for 2031'), { year: 2031, source: 'provisional' });
  });

  it('without the provisional calendar, count Monday to Friday and warn exactly once', () => {
    const warn = vi.fn();
    const cal = createWorkCalendar({ warn, provisional: false });
    expect(cal.sourceOf(2031)).toBe('weekdays');
    expect(cal.isWorkday('2031-01-01')).toBe(true); // a Wednesday; New Year unknown without data
    expect(cal.addWorkingDays('2031-09-30', 2)).toBe('2031-10-02');
    expect(cal.workingDaysBetween('2031-03-01', '2031-03-31')).toBe(21);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('no holiday data for 2031; counting Monday to Friday', { year: 2031, source: 'weekdays' });
  });

  it('beyond the lunar table (2100 on) only Monday to Friday can be counted', () => {
    const cal = createWorkCalendar();
    expect(cal.sourceOf(2100)).toBe('weekdays');
    expect(cal.isWorkday('2100-01-01')).toBe(true); // a Friday
  });

  it('warns once per calendar, and once for each uncovered year a count runs into', () => {
    const warnA = vi.fn();
    const warnB = vi.fn();
    createWorkCalendar({ warn: warnA }).isWorkday('2031-05-06');
    const b = createWorkCalendar({ warn: warnB });
    b.isWorkday('2031-05-06');
    b.addWorkingDays('2031-12-30', 5);
    expect(warnA).toHaveBeenCalledTimes(1);
    expect(warnB.mock.calls.map(([, d]) => d)).toEqual([
      { year: 2031, source: 'provisional' },
      { year: 2032, source: 'provisional' },
    ]);
  });

  it('fingerprints tell calendars that count a year differently apart', () => {
    const provisional = createWorkCalendar();
    const weekdays = createWorkCalendar({ provisional: false });
    expect(provisional.fingerprint(2026)).toBe(weekdays.fingerprint(2026));
    expect(provisional.fingerprint(2026)).toMatch(/^official:[0-9a-f]{16}$/);
    expect(provisional.fingerprint(2031)).toMatch(/^provisional:/);
    expect(weekdays.fingerprint(2031)).toMatch(/^weekdays:/);
  });
});

describe('county overrides', () => {
  it('add a holiday and a make-up day for an uncovered year, with no warning', () => {
    const warn = vi.fn();
    const cal = createWorkCalendar({ overrides: { holidays: ['2031-01-01', '2031-01-02', '2031-01-03'], workdays: ['2031-01-04'] }, warn });
    expect(cal.covers(2031)).toBe(true);
    expect(cal.isWorkday('2031-01-01')).toBe(false); // Wednesday, holiday
    expect(cal.isWorkday('2031-01-04')).toBe(true); // Saturday, make-up day
    expect(cal.addWorkingDays('2030-12-31', 1)).toBe('2031-01-04');
    expect(warn).not.toHaveBeenCalledWith(expect.anything(), { year: 2031 });
  });

  it('take precedence over chinese-days', () => {
    const cal = createWorkCalendar({ overrides: { holidays: ['2026-10-10'], workdays: ['2026-10-07'] } });
    expect(cal.isWorkday('2026-10-10')).toBe(false);
    expect(cal.isWorkday('2026-10-07')).toBe(true);
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-07');
  });

  it('are rejected when a date is both a holiday and a workday, or malformed', () => {
    expect(() => createWorkCalendar({ overrides: { holidays: ['2031-01-01'], workdays: ['2031-01-01'] } })).toThrow(/both/);
    expect(() => createWorkCalendar({ overrides: { holidays: ['2031-1-1'], workdays: [] } })).toThrow(RangeError);
  });
});
