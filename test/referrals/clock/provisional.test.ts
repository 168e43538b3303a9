import { describe, expect, it } from 'vitest';
import chineseDaysLib from 'chinese-days';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { createWorkCalendar } from '../../../src/referrals/clock/calendar.js';
import { addDuration } from '../../../src/referrals/clock/deadline.js';
import { fromDayNumber, toDayNumber, weekday } from '../../../src/referrals/clock/isoDate.js';
import { lunarToDay, provisionalHolidays, provisionalNotice } from '../../../src/referrals/clock/provisional.js';
import { OFFICIAL_2027 } from './official-2027.js';

const holidays: Record<string, string> = data.holidays;
const isWeekday = (date: string) => [1, 2, 3, 4, 5].includes(weekday(toDayNumber(date)));
const SH = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

describe('the provisional calendar of a year without a published schedule', () => {
  it('2027: 元旦 01-01, 春节 from 除夕 02-05 for 8 days, 清明 04-03..05, 劳动节 05-01..05, 端午 06-09, 中秋 09-15, 国庆 10-01..07', () => {
    expect(provisionalHolidays(2027)?.festivals).toEqual([
      { name: '元旦', dates: ['2027-01-01'] },
      { name: '春节', dates: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'] },
      { name: '清明节', dates: ['2027-04-03', '2027-04-04', '2027-04-05'] },
      { name: '劳动节', dates: ['2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05'] },
      { name: '端午节', dates: ['2027-06-09'] },
      { name: '中秋节', dates: ['2027-09-15'] },
      { name: '国庆节', dates: ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'] },
    ]);
  });

  it('joins 中秋 to 国庆 when it falls in National Day week (2028: 中秋 10-03 → 10-01..08)', () => {
    expect(provisionalHolidays(2028)?.festivals.at(-1)).toEqual({ name: '中秋节、国庆节', dates: ['2028-10-01', '2028-10-02', '2028-10-03', '2028-10-04', '2028-10-05', '2028-10-06', '2028-10-07', '2028-10-08'] });
  });

  // chinese-days' own date functions are a day off west of UTC, so they are the reference only where they are right.
  it.skipIf(new Date(2026, 0, 1).getTimezoneOffset() > 0)('finds 正月初一, 五月初五 and 八月十五 where chinese-days does, 1901–2099', () => {
    for (let y = 1901; y <= 2099; y++) {
      for (const [m, d] of [[1, 1], [5, 5], [8, 15]] as const) {
        const expected = chineseDaysLib.getSolarDateFromLunar(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`).date;
        if (fromDayNumber(lunarToDay(y, m, d)) !== expected) expect.fail(`lunar ${y}-${m}-${d}: ${fromDayNumber(lunarToDay(y, m, d))} ≠ ${expected}`);
      }
    }
  });

  it('gives the same dates whatever the process timezone', () => {
    const before = process.env.TZ;
    const here = provisionalHolidays(2027);
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
        process.env.TZ = tz;
        expect(provisionalHolidays(2027)).toEqual(here);
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('marks the festival day itself off wherever chinese-days has published data (2008–2026)', () => {
    const published = createWorkCalendar({ provisional: false });
    for (let y = 2008; y <= 2026; y++) {
      const p = provisionalHolidays(y)!;
      const days = [fromDayNumber(lunarToDay(y, 1, 1)), fromDayNumber(lunarToDay(y, 5, 5)), fromDayNumber(lunarToDay(y, 8, 15)), `${y}-01-01`, `${y}-05-01`, `${y}-10-01`];
      for (const d of days) {
        expect(p.holidays).toContain(d);
        expect(published.isWorkday(d), `${d} off in the published ${y} schedule`).toBe(false);
      }
    }
  });

  it('under the 2025 rules, takes no weekday off that the published 2025 and 2026 schedules did not', () => {
    for (const y of [2025, 2026]) {
      const invented = provisionalHolidays(y)!.holidays.filter((d) => isWeekday(d) && !holidays[d]);
      expect(invented, String(y)).toEqual([]);
    }
  });

  it('is undefined outside the lunar table', () => {
    expect(provisionalHolidays(1900)).toBeUndefined();
    expect(provisionalHolidays(2100)).toBeUndefined();
  });

  it('is announced to staff in Chinese', () => {
    expect(provisionalNotice(2027)).toBe('2027年节假日安排尚未发布，暂按推算的法定节假日计算，调休以国务院公布为准');
  });
});

describe('20-working-day clocks opened in December 2026 (chinese-days has no 2027)', () => {
  const provisional = createWorkCalendar();
  const weekdays = createWorkCalendar({ provisional: false });
  const official = createWorkCalendar({ overrides: OFFICIAL_2027 });

  it('2027 is provisional until the county file lists its schedule, then official', () => {
    expect(provisional.sourceOf(2026)).toBe('official');
    expect(provisional.sourceOf(2027)).toBe('provisional');
    expect(official.sourceOf(2027)).toBe('official');
  });

  it('opened 2026-12-20: skips 2027-01-01 and ends Mon 01-18 (plain weekdays said Fri 01-15)', () => {
    expect(weekdays.addWorkingDays('2026-12-20', 20)).toBe('2027-01-15');
    expect(provisional.addWorkingDays('2026-12-20', 20)).toBe('2027-01-18');
    expect(addDuration(at('2026-12-20T10:30:00'), { workingDays: 20 }, provisional, SH)).toEqual(at('2027-01-18T10:30:00'));
  });

  it('a second 20 working days after it (the county approves what the township investigated) skips the Spring Festival week', () => {
    const approvedBy = (cal: typeof provisional) => cal.addWorkingDays(cal.addWorkingDays('2026-12-20', 20), 20);
    expect(approvedBy(weekdays)).toBe('2027-02-12');
    // 01-01, 02-05 and 02-08..12 are off: seven working days later than plain weekdays.
    expect(approvedBy(provisional)).toBe('2027-02-23');
    expect(provisional.workingDaysBetween('2027-02-04', '2027-02-15')).toBe(1);
  });

  it('opened 2027-01-25, runs past the Spring Festival week to 03-02', () => {
    expect(weekdays.addWorkingDays('2027-01-25', 20)).toBe('2027-02-22');
    expect(provisional.addWorkingDays('2027-01-25', 20)).toBe('2027-03-02');
  });

  it('with the official schedule loaded, the same clocks follow it, make-up days (调休) included', () => {
    expect(official.addWorkingDays('2026-12-20', 20)).toBe('2027-01-18');
    expect(official.isWorkday('2027-01-31')).toBe(true); // Sunday worked
    expect(official.isWorkday('2027-02-20')).toBe(true); // Saturday worked
    // The second 20 days now end on the make-up Saturday, a working day earlier than provisionally.
    expect(official.addWorkingDays(official.addWorkingDays('2026-12-20', 20), 20)).toBe('2027-02-20');
    expect(official.addWorkingDays('2027-01-25', 20)).toBe('2027-02-26');
  });
});
