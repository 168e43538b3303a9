import { describe, expect, it } from 'vitest';
import { deadlineState } from '../../../src/referrals/clock/deadline-state.js';

const t = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00+08:00`);

describe('deadlineState: one rule for every deadline', () => {
  const startedAt = t('08:00');
  const dueAt = t('12:00'); // four hours allowed: the last hour is "due soon"

  it('owed and not yet due: on time while more than a quarter is left, then due soon; neither counts in a rate', () => {
    expect(deadlineState({ dueAt, doneAt: null, now: t('09:00'), startedAt })).toEqual({ state: 'on_time', done: false, msLeft: 3 * 3_600_000, counted: false });
    expect(deadlineState({ dueAt, doneAt: null, now: t('11:00'), startedAt })).toMatchObject({ state: 'on_time', counted: false });
    expect(deadlineState({ dueAt, doneAt: null, now: t('11:01'), startedAt })).toMatchObject({ state: 'due_soon', counted: false });
    expect(deadlineState({ dueAt, doneAt: null, now: t('12:00'), startedAt })).toMatchObject({ state: 'due_soon', msLeft: 0 });
  });

  it('owed past the due time: overdue, and it counts (as a failure)', () => {
    expect(deadlineState({ dueAt, doneAt: null, now: t('13:00'), startedAt })).toEqual({ state: 'overdue', done: false, msLeft: -3_600_000, counted: true });
  });

  it('done by the due time (inclusive): on time; after it: done late; both count', () => {
    expect(deadlineState({ dueAt, doneAt: t('12:00'), now: t('18:00'), startedAt })).toEqual({ state: 'on_time', done: true, msLeft: null, counted: true });
    expect(deadlineState({ dueAt, doneAt: t('12:01'), now: t('18:00'), startedAt })).toEqual({ state: 'done_late', done: true, msLeft: null, counted: true });
  });

  it('judged as of a past moment, work done later is still owed then', () => {
    expect(deadlineState({ dueAt, doneAt: t('11:00'), now: t('10:00'), startedAt })).toMatchObject({ state: 'on_time', done: false });
    expect(deadlineState({ dueAt, doneAt: t('14:00'), now: t('13:00'), startedAt })).toMatchObject({ state: 'overdue', done: false });
  });

  it('without a start, nothing is "due soon"', () => {
    expect(deadlineState({ dueAt, doneAt: null, now: t('11:59') })).toMatchObject({ state: 'on_time' });
  });
});
