import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../../src/referrals/clock/calendar.js';
import { addDuration } from '../../../src/referrals/clock/deadline.js';
import { nextDue, planLadder, type LadderInput } from '../../../src/referrals/clock/ladder.js';

const cal = createWorkCalendar();
const tz = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);
const escalation = { reminderAt: 0.75, superviseAfterWorkingDays: 1 };
const signUrgentLimit = { hours: 1 };
const urgent: LadderInput = {
  startedAt: at('2026-09-30T22:00:00+08:00'),
  deadline: at('2026-10-01T22:00:00+08:00'), // 24 h aid-first limit
  urgent: true,
  signedAt: null,
  escalation,
  signUrgentLimit,
  cal,
  tz,
};
const steps = (plan: { step: string; at: Date }[]) => plan.map((e) => [e.step, e.at.toISOString()]);

describe('planLadder', () => {
  it('plans reminder, urge and supervise for a normal referral (5 working days over National Day 2026)', () => {
    const startedAt = at('2026-09-28T09:00:00+08:00');
    const deadline = addDuration(startedAt, { workingDays: 5 }, cal, tz);
    expect(deadline).toEqual(at('2026-10-10T09:00:00+08:00')); // 09-29, 09-30, 10-08, 10-09, Sat 10-10
    const plan = planLadder({ startedAt, deadline, urgent: false, signedAt: null, escalation, signUrgentLimit, cal, tz });
    expect(steps(plan)).toEqual([
      ['reminder', at('2026-10-07T09:00:00+08:00').toISOString()], // 75% of 12 clock days
      ['urge', deadline.toISOString()],
      ['supervise', at('2026-10-12T09:00:00+08:00').toISOString()], // 1 working day after Sat 10-10
    ]);
  });

  it('calls in the duty officer first for an urgent referral not yet signed', () => {
    expect(steps(planLadder(urgent))).toEqual([
      ['duty', at('2026-09-30T23:00:00+08:00').toISOString()],
      ['reminder', at('2026-10-01T16:00:00+08:00').toISOString()],
      ['urge', at('2026-10-01T22:00:00+08:00').toISOString()],
      ['supervise', at('2026-10-08T22:00:00+08:00').toISOString()], // first working day after the holiday
    ]);
  });

  it('omits the duty step once the urgent referral is signed', () => {
    const plan = planLadder({ ...urgent, signedAt: at('2026-09-30T22:20:00+08:00') });
    expect(plan.map((e) => e.step)).toEqual(['reminder', 'urge', 'supervise']);
  });

  it('supervises at the deadline, after the urge, when no extra working days are allowed', () => {
    const plan = planLadder({ ...urgent, signedAt: urgent.startedAt, escalation: { reminderAt: 0.5, superviseAfterWorkingDays: 0 } });
    expect(steps(plan).slice(1)).toEqual([
      ['urge', urgent.deadline.toISOString()],
      ['supervise', urgent.deadline.toISOString()],
    ]);
  });

  it('rejects a deadline before the start', () => {
    expect(() => planLadder({ ...urgent, deadline: at('2026-09-30T21:00:00+08:00') })).toThrow(RangeError);
  });
});

describe('nextDue', () => {
  const plan = planLadder(urgent);

  it('returns the unfired steps that are due and the next one to wait for', () => {
    const now = at('2026-10-01T17:00:00+08:00');
    const { due, next } = nextDue(plan, new Set(['duty']), now);
    expect(due.map((e) => e.step)).toEqual(['reminder']);
    expect(next?.step).toBe('urge');
    expect(nextDue(plan, new Set(['duty', 'reminder']), now).due).toEqual([]);
  });

  it('returns every overdue step after an outage, and no next step when all are past', () => {
    const { due, next } = nextDue(plan, new Set(), at('2026-10-09T00:00:00+08:00'));
    expect(due.map((e) => e.step)).toEqual(['duty', 'reminder', 'urge', 'supervise']);
    expect(next).toBeNull();
  });
});
