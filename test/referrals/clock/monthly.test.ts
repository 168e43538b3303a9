import { describe, expect, it } from 'vitest';
import { monthlyReportDue } from '../../../src/referrals/clock/monthly.js';

describe('monthlyReportDue', () => {
  it("is the end of the 15th of the next month, Shanghai time", () => {
    expect(monthlyReportDue('2026-10', 15, 'Asia/Shanghai')).toEqual(new Date('2026-11-15T23:59:59.999+08:00'));
  });

  it('rolls December over into January of the next year', () => {
    expect(monthlyReportDue('2026-12', 15, 'Asia/Shanghai')).toEqual(new Date('2027-01-15T23:59:59.999+08:00'));
  });

  it('follows the county timezone', () => {
    expect(monthlyReportDue('2026-10', 15, 'UTC')).toEqual(new Date('2026-11-15T23:59:59.999Z'));
  });

  it('rejects malformed months and days the next month does not have', () => {
    expect(() => monthlyReportDue('2026-13', 15, 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => monthlyReportDue('2026-8', 15, 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => monthlyReportDue('2026-08', 31, 'Asia/Shanghai')).toThrow(RangeError);
  });
});
