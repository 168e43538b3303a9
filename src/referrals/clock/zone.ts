/** Converting instants to a timezone's wall clock and back, via Intl (no DST in China, but the tz is configuration). */
import { DAY_MS, fromDayNumber, toDayNumber } from './isoDate.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offset per tz per UTC day; null marks a day with an offset change, measured per instant. */
const dailyOffsets = new Map<string, Map<number, number | null>>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local wall clock minus UTC, in ms, at instant `ms`. */
function measureOffset(ms: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(ms)) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

// formatToParts costs ~10 µs and a deadline sweep converts hundreds of thousands of instants, so offsets are
// cached per UTC day; zones change offset at most a few times a year, never twice in one day.
function offsetAt(ms: number, tz: string): number {
  const day = Math.floor(ms / DAY_MS);
  let byDay = dailyOffsets.get(tz);
  if (!byDay) dailyOffsets.set(tz, (byDay = new Map()));
  let offset = byDay.get(day);
  if (offset === undefined) {
    const first = measureOffset(day * DAY_MS, tz);
    offset = first === measureOffset((day + 1) * DAY_MS - 1000, tz) ? first : null;
    byDay.set(day, offset);
  }
  return offset ?? measureOffset(ms, tz);
}

/** The local date and time of day (ms since local midnight) of an instant. */
export function localParts(instant: Date, tz: string): { date: string; msOfDay: number } {
  const ms = instant.getTime();
  const local = ms + offsetAt(ms, tz);
  const day = Math.floor(local / DAY_MS);
  return { date: fromDayNumber(day), msOfDay: local - day * DAY_MS };
}

/** The instant at which the local clock in `tz` shows `date` plus `msOfDay`. */
export function instantAt(date: string, msOfDay: number, tz: string): Date {
  const local = toDayNumber(date) * DAY_MS + msOfDay;
  // Second pass corrects the guess when the offset differs between the wall time read as UTC and the answer.
  const guess = local - offsetAt(local, tz);
  return new Date(local - offsetAt(guess, tz));
}
