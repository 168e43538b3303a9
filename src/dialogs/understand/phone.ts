import { allDigits, findDigitRuns, type DigitRun } from './digits.js';
import { locateIdNumber } from './id-number.js';
import { normalizeUtterance } from './normalize.js';
import { firstPhoneInRun } from './phone-digits.js';
import { maskSpan, type Located } from './span.js';

/** Words that take back what was just said: the number after them stands. */
const TAKEN_BACK = /说错|错了|不对|不是|哦不|应该是|重说|更正|改成|改一下/;

/**
 * The phone number in normalized text: the first one, or the last when the resident took the first back
 * in the same message ("15863147254，哦说错了，…15863147245"). ID numbers are taken out first: a run of
 * 18 digits holds phone-shaped 11s.
 */
export function locatePhone(text: string): Located<string> | undefined {
  const id = locateIdNumber(text);
  const rest = id ? maskSpan(text, id) : text;
  const phonesIn = (runs: DigitRun[]) => runs.map((run) => firstPhoneInRun(run)).filter((p): p is Located<string> => p !== undefined);
  let phones = phonesIn(findDigitRuns(rest, false));
  // A recogniser writes the pauses of a number read in groups as commas ("一八五，六三九幺，二二七零"): short groups
  // joined across them, when nothing else reads as a number.
  if (phones.length === 0) phones = phonesIn(findDigitRuns(rest, false, 'written').filter((run) => run.tokens.every((g) => g.digits.length <= 4)));
  const first = phones[0];
  const last = phones[phones.length - 1];
  if (first && last && last !== first && TAKEN_BACK.test(text.slice(first.end, last.start))) return last;
  return first;
}

export function extractPhone(text: string): string | undefined {
  return locatePhone(normalizeUtterance(text))?.value;
}

/** A mobile number said in pieces with words between ("幺三八，然后是…"): every digit of the answer, when they make one. */
export function extractPhoneLoose(text: string): string | undefined {
  const digits = allDigits(normalizeUtterance(text));
  return /^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits) ? digits : undefined;
}
