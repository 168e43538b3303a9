import { allDigits, findDigitRuns } from './digits.js';
import { locateIdNumber } from './id-number.js';
import { normalizeUtterance } from './normalize.js';
import { firstPhoneInRun } from './phone-digits.js';
import { maskSpan, type Located } from './span.js';

/** First phone number in normalized text. ID numbers are taken out first: a run of 18 digits holds phone-shaped 11s. */
export function locatePhone(text: string): Located<string> | undefined {
  const id = locateIdNumber(text);
  const rest = id ? maskSpan(text, id) : text;
  for (const run of findDigitRuns(rest, false)) {
    const phone = firstPhoneInRun(run);
    if (phone) return phone;
  }
  return undefined;
}

export function extractPhone(text: string): string | undefined {
  return locatePhone(normalizeUtterance(text))?.value;
}

/** A mobile number said in pieces with words between ("幺三八，然后是…"): every digit of the answer, when they make one. */
export function extractPhoneLoose(text: string): string | undefined {
  const digits = allDigits(normalizeUtterance(text));
  return /^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits) ? digits : undefined;
}
