import { dayPermutation, PERMUTED_DIGITS, PERMUTED_RANGE } from './tracking-permutation.js';

/**
 * Tracking numbers (承办编号): 12 digits, so a resident on a basic phone can key them in and read them back in three
 * groups of four. YYMMDD (the local date) + the day's counter through a keyed permutation (5 digits) + a Damm check
 * digit, e.g. 2611 2248 3127. The permutation makes the next number unguessable; the check digit catches every single
 * wrong digit and every swap of two neighbours before anything is looked up. Numbers issued before (YYYYMMDD + a
 * 4-digit sequence, 202611220007) start with 20 and a month that no YYMMDD has (20 + 20..39), so the two never overlap
 * and the old ones are still read and found as they are.
 */

export const TRACKING_DIGITS = 12;
/** The most cases one day can number. */
export const DAILY_CAPACITY = PERMUTED_RANGE;

/** Damm's quasigroup of order 10 (totally antisymmetric): catches all single-digit errors and adjacent transpositions. */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The digit that makes `digits` + it check out. */
export function dammDigit(digits: string): string {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim]![ch.charCodeAt(0) - 48]!;
  return String(interim);
}

const validDate = (mm: string, dd: string) => Number(mm) >= 1 && Number(mm) <= 12 && Number(dd) >= 1 && Number(dd) <= 31;
const CURRENT = /^(\d{2})(\d{2})(\d{2})\d{6}$/;
/** The numbers issued before, years 2020-2039 (YYYYMMDD + 4 digits). */
const LEGACY = /^20[23]\d(\d{2})(\d{2})\d{4}$/;

/**
 * What 12 typed digits are: a number as issued now, one issued before (`legacy`, no check digit), or one shaped like a
 * number of now (a date YYMMDD) that fails its check digit (`mistyped`: a wrong digit, two swapped). Else undefined.
 */
export function trackingNumberKind(digits: string): 'current' | 'legacy' | 'mistyped' | undefined {
  if (!/^\d+$/.test(digits) || digits.length !== TRACKING_DIGITS) return undefined;
  const legacy = LEGACY.exec(digits);
  if (legacy && validDate(legacy[1]!, legacy[2]!)) return 'legacy';
  const m = CURRENT.exec(digits)!;
  if (digits.startsWith('20') || !validDate(m[2]!, m[3]!)) return undefined;
  return dammDigit(digits) === '0' ? 'current' : 'mistyped';
}

/** Three groups of four, as printed on a receipt and read out on a call. */
export const trackingGroups = (n: string): string[] => (n.length === TRACKING_DIGITS ? [n.slice(0, 4), n.slice(4, 8), n.slice(8)] : [n]);

/** As a call reads it: digit by digit in three groups ("2 6 1 2，0 7 3 4，5 1 6 3"); a referral's "-2" as "杠2". */
export function spokenTrackingNumber(n: string): string {
  const [number = '', part] = n.split('-');
  const groups = trackingGroups(number).map((g) => [...g].join(' ')).join('，');
  return part ? `${groups}，杠${[...part].join(' ')}` : groups;
}

/**
 * A number as staff or a partner system may type or paste it ("2611 2248 3127", "2611-2248-3127-1", full-width digits),
 * in the stored form; a part of one loses its spaces. Other text is given back trimmed.
 */
export function compactTrackingNumber(text: string): string {
  const t = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const grouped = /^(\d{4})[\s\-–—.]*(\d{4})[\s\-–—.]*(\d{4})(-\d{1,3})?$/.exec(t);
  if (grouped) return `${grouped[1]}${grouped[2]}${grouped[3]}${grouped[4] ?? ''}`;
  return /^[\d\s-]+$/.test(t) ? t.replace(/\s+/g, '') : t;
}

/** Issues numbers for one key; a day's permutation is built once and kept while that day lasts. */
export type TrackingNumbers = {
  /** The number of the `value`-th case (1-based) of `day` (YYYYMMDD, the county's local date). */
  issue(day: string, value: number): string;
  /** The day's counter value behind a current number (for staff reading a number; undefined when it is not one). */
  sequenceOf(trackingNumber: string): number | undefined;
};

export function trackingNumbers(key: Buffer): TrackingNumbers {
  let cached: { day: string; perm: ReturnType<typeof dayPermutation> } | undefined;
  const permFor = (day: string) => {
    if (cached?.day !== day) cached = { day, perm: dayPermutation(key, day) };
    return cached.perm;
  };
  return {
    issue(day, value) {
      if (!/^\d{8}$/.test(day)) throw new RangeError(`day must be YYYYMMDD, not ${day}`);
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`counter value ${value} must be a positive whole number`);
      if (value > DAILY_CAPACITY) throw new RangeError(`counter value ${value} beyond the day's ${DAILY_CAPACITY} numbers`);
      const body = `${day.slice(2)}${String(permFor(day).forward(value - 1)).padStart(PERMUTED_DIGITS, '0')}`;
      return `${body}${dammDigit(body)}`;
    },
    sequenceOf(n) {
      if (trackingNumberKind(n) !== 'current') return undefined;
      return permFor(`20${n.slice(0, 6)}`).backward(Number(n.slice(6, 11))) + 1;
    },
  };
}
