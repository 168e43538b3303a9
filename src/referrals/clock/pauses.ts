/** A stretch during which the clock stood still; `to: null` while it is still paused. */
export interface Pause {
  from: Date;
  to: Date | null;
}

/**
 * The deadline once pauses are taken out: a pause that begins before the (already extended) deadline pushes it
 * back by its length, an open pause counts up to `now`, overlapping pauses count once, and a pause that begins
 * after the deadline has passed changes nothing.
 */
export function effectiveDeadline(baseDeadline: Date, pauses: readonly Pause[], now: Date): Date {
  const spans = pauses
    .map(({ from, to }) => {
      const start = from.getTime();
      const end = to ? to.getTime() : Math.max(start, now.getTime());
      if (!(end >= start)) throw new RangeError(`pause ends before it starts: ${from.toISOString()}`);
      return [start, end] as const;
    })
    .sort((a, b) => a[0] - b[0]);

  // Pauses are added back as elapsed clock time, not working days, so a pause means the same whatever the calendar.
  let deadline = baseDeadline.getTime();
  let covered = -Infinity; // end of the pause time already counted
  for (const [start, end] of spans) {
    const from = Math.max(start, covered);
    if (from >= deadline) break;
    if (end > from) deadline += end - from;
    covered = Math.max(covered, end);
  }
  return new Date(deadline);
}
