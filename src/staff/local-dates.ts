import type { LoadedDirectory } from '../directory/store.js';
import { fromDayNumber, toDayNumber } from '../referrals/clock/isoDate.js';
import { instantAt, localParts } from '../referrals/clock/zone.js';

/** Dates staff type (YYYY-MM-DD) are the county's local dates; these turn them into instants and back. */

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const tz = (directory: LoadedDirectory) => directory.directory.county.timezone;

/** The local date of an instant, YYYY-MM-DD. */
export function localDate(directory: LoadedDirectory, at: Date): string {
  return localParts(at, tz(directory)).date;
}

/** `date` at the same local time of day as `like` (a new deadline keeps the hour of the old one). */
export function onDateAtTimeOf(directory: LoadedDirectory, date: string, like: Date): Date {
  return instantAt(date, localParts(like, tz(directory)).msOfDay, tz(directory));
}

/** The start of a local date. */
export function startOfDate(directory: LoadedDirectory, date: string): Date {
  return instantAt(date, 0, tz(directory));
}

/** A local date `days` later, YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** The local date and time of an instant, YYYY-MM-DD HH:mm (cheap enough for every row of a large register). */
export function localDateTime(directory: LoadedDirectory, at: Date): string {
  const { date, msOfDay } = localParts(at, tz(directory));
  const minutes = Math.floor(msOfDay / 60_000);
  return `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
