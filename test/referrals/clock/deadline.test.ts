import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../../src/referrals/clock/calendar.js';
import { addDuration } from '../../../src/referrals/clock/deadline.js';
import { instantAt, localParts } from '../../../src/referrals/clock/zone.js';

const cal = createWorkCalendar();
const SH = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('addDuration with working days keeps the local time of day', () => {
  it('2 working days after Wed 2026-09-30 10:00 is Fri 2026-10-09 10:00 (National Day 10-01..07)', () => {
    expect(addDuration(at('2026-09-30T10:00:00+08:00'), { workingDays: 2 }, cal, SH)).toEqual(at('2026-10-09T10:00:00+08:00'));
  });

  it('1 working day after Fri 2026-10-09 17:30 is Sat 2026-10-10 17:30, a chinese-days make-up day', () => {
    expect(addDuration(at('2026-10-09T17:30:00+08:00'), { workingDays: 1 }, cal, SH)).toEqual(at('2026-10-10T17:30:00+08:00'));
  });

  it('counts from a Saturday start: Sat 2026-03-07 10:30 + 1 = Mon 2026-03-09 10:30', () => {
    expect(addDuration(at('2026-03-07T10:30:00+08:00'), { workingDays: 1 }, cal, SH)).toEqual(at('2026-03-09T10:30:00+08:00'));
  });

  it('counts from a holiday start: Sat 2026-10-03 14:00 + 1 = Thu 2026-10-08 14:00', () => {
    expect(addDuration(at('2026-10-03T14:00:00+08:00'), { workingDays: 1 }, cal, SH)).toEqual(at('2026-10-08T14:00:00+08:00'));
  });

  it('takes the working day from the county timezone, not UTC', () => {
    // Sat 2026-10-10 07:00 in Shanghai (a make-up day) is still Fri 10-09 in UTC.
    const start = at('2026-10-10T07:00:00+08:00');
    expect(addDuration(start, { workingDays: 1 }, cal, SH)).toEqual(at('2026-10-12T07:00:00+08:00'));
    expect(addDuration(start, { workingDays: 1 }, cal, 'UTC')).toEqual(at('2026-10-10T23:00:00Z'));
  });

  it('keeps the wall-clock time across a DST change in a zone that has one', () => {
    // Berlin moves to +02:00 on 2026-03-29.
    expect(addDuration(at('2026-03-27T09:00:00+01:00'), { workingDays: 1 }, cal, 'Europe/Berlin')).toEqual(at('2026-03-30T09:00:00+02:00'));
  });
});

describe('addDuration with hours adds clock time', () => {
  it('crosses midnight: 2026-03-05 23:30 + 1 h = 2026-03-06 00:30 Shanghai time', () => {
    expect(addDuration(at('2026-03-05T23:30:00+08:00'), { hours: 1 }, cal, SH)).toEqual(at('2026-03-06T00:30:00+08:00'));
  });

  it('ignores holidays and accepts fractions: 2026-09-30 20:00 + 24.5 h = 2026-10-01 20:30', () => {
    expect(addDuration(at('2026-09-30T20:00:00+08:00'), { hours: 24.5 }, cal, SH)).toEqual(at('2026-10-01T20:30:00+08:00'));
  });

  it('rejects an invalid start', () => {
    expect(() => addDuration(new Date(Number.NaN), { hours: 1 }, cal, SH)).toThrow(RangeError);
  });
});

describe('zone conversion', () => {
  it('reads the Shanghai date and time of day of an instant', () => {
    expect(localParts(at('2026-10-09T16:30:00Z'), SH)).toEqual({ date: '2026-10-10', msOfDay: 30 * 60_000 });
    expect(instantAt('2026-10-10', 30 * 60_000, SH)).toEqual(at('2026-10-09T16:30:00Z'));
  });

  it('is exact on the day a zone changes offset', () => {
    const berlin = 'Europe/Berlin';
    expect(localParts(at('2026-03-29T00:30:00Z'), berlin)).toEqual({ date: '2026-03-29', msOfDay: 1.5 * 3_600_000 });
    expect(localParts(at('2026-03-29T01:30:00Z'), berlin)).toEqual({ date: '2026-03-29', msOfDay: 3.5 * 3_600_000 });
    expect(instantAt('2026-03-29', 3.5 * 3_600_000, berlin)).toEqual(at('2026-03-29T01:30:00Z'));
  });

  it('rejects an unknown timezone', () => {
    expect(() => localParts(new Date(), 'Asia/Atlantis')).toThrow(RangeError);
  });
});
