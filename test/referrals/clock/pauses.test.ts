import { describe, expect, it } from 'vitest';
import { effectiveDeadline } from '../../../src/referrals/clock/pauses.js';

const H = 3_600_000;
const base = new Date('2026-10-12T17:00:00+08:00');
const t = (hoursFromBase: number) => new Date(base.getTime() + hoursFromBase * H);

describe('effectiveDeadline', () => {
  it('leaves the deadline alone without pauses', () => {
    expect(effectiveDeadline(base, [], t(-10))).toEqual(base);
  });

  it('adds a closed pause as elapsed clock time', () => {
    expect(effectiveDeadline(base, [{ from: t(-30), to: t(-28) }], t(-1))).toEqual(t(2));
  });

  it('counts an open pause up to now', () => {
    expect(effectiveDeadline(base, [{ from: t(-1), to: null }], t(0.5))).toEqual(t(1.5));
    expect(effectiveDeadline(base, [{ from: t(-1), to: null }], t(-0.75))).toEqual(t(0.25));
  });

  it('does not double-count overlapping pauses', () => {
    const pauses = [
      { from: t(-10), to: t(-8) },
      { from: t(-9), to: t(-7) },
      { from: t(-9.5), to: t(-9) },
    ];
    expect(effectiveDeadline(base, pauses, t(0))).toEqual(t(3));
  });

  it('ignores a pause that starts after the deadline has passed', () => {
    expect(effectiveDeadline(base, [{ from: t(1), to: t(5) }], t(6))).toEqual(base);
  });

  it('counts a pause that starts after the base deadline but before the extended one', () => {
    const pauses = [
      { from: t(-2), to: t(0) },
      { from: t(1), to: t(4) },
    ];
    expect(effectiveDeadline(base, pauses, t(6))).toEqual(t(5));
  });

  it('treats an open pause that starts after now as empty, and rejects a pause ending before it starts', () => {
    expect(effectiveDeadline(base, [{ from: t(-1), to: null }], t(-2))).toEqual(base);
    expect(() => effectiveDeadline(base, [{ from: t(-1), to: t(-2) }], t(0))).toThrow(RangeError);
  });
});
