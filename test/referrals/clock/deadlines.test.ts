import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../../src/referrals/clock/calendar.js';
import { ClockKind, deadlinesFor, type DeadlinesInput } from '../../../src/referrals/clock/deadlines.js';
import type { TimeLimits } from '../../../src/directory/schema.js';

// The demo county's defaults (data/counties/lanshan.json).
const limits: TimeLimits = {
  transfer: { workingDays: 2 },
  sign: { workingDays: 1 },
  signUrgent: { hours: 1 },
  emergencyAidFirst: { hours: 24 },
  emergencyPaperwork: { workingDays: 5 },
  approval: { workingDays: 20 },
  followUp: { workingDays: 1 },
  monthlyReportDay: 15,
};
const cal = createWorkCalendar();
const at = (iso: string) => new Date(iso);
const input = (over: Partial<DeadlinesInput>): DeadlinesInput => ({
  kind: 'handle',
  category: 'minimum_living',
  urgent: false,
  createdAt: at('2026-03-02T09:00:00+08:00'), // Monday
  limits,
  cal,
  tz: 'Asia/Shanghai',
  ...over,
});

describe('deadlinesFor', () => {
  it('notify: signed within 1 working day, transferred within 2 (over National Day 2026)', () => {
    expect(deadlinesFor(input({ kind: 'notify', category: 'medical', createdAt: at('2026-09-30T10:00:00+08:00') }))).toEqual({
      sign: at('2026-10-08T10:00:00+08:00'),
      handle: at('2026-10-09T10:00:00+08:00'),
    });
  });

  it('handle/investigate: the county approval limit when the category has none (20 working days)', () => {
    for (const kind of ['handle', 'investigate'] as const) {
      const { handle } = deadlinesFor(input({ kind, categoryPolicy: { code: 'minimum_living' } }));
      expect(handle).toEqual(at('2026-03-30T09:00:00+08:00'));
    }
  });

  it("handle: the category's own approval limit (残疾人两项补贴, 10 working days)", () => {
    const { handle } = deadlinesFor(input({ category: 'disability', categoryPolicy: { code: 'disability', approval: { workingDays: 10 } } }));
    expect(handle).toEqual(at('2026-03-16T09:00:00+08:00'));
  });

  it('aid_first when urgent: signed within 1 hour, aid given within 24 hours, holidays included', () => {
    const created = at('2026-10-02T03:00:00+08:00');
    expect(deadlinesFor(input({ kind: 'aid_first', category: 'temporary', urgent: true, createdAt: created }))).toEqual({
      sign: at('2026-10-02T04:00:00+08:00'),
      handle: at('2026-10-03T03:00:00+08:00'),
    });
  });

  it('paperwork: 5 working days from when the aid was given, Sat 2026-10-10 included', () => {
    const { handle } = deadlinesFor(input({ kind: 'paperwork', category: 'temporary', createdAt: at('2026-10-03T03:00:00+08:00') }));
    expect(handle).toEqual(at('2026-10-13T03:00:00+08:00')); // 10-08, 10-09, 10-10, 10-12, 10-13
  });

  it("rejects another category's policy and unknown kinds", () => {
    expect(() => deadlinesFor(input({ category: 'child', categoryPolicy: { code: 'disability' } }))).toThrow(/disability/);
    expect(ClockKind.safeParse('approve').success).toBe(false);
  });
});
