import type { DigitRun } from './digits.js';
import type { Located } from './span.js';

const MOBILE = /^1[3-9]\d{9}$/;
/** Area code 010/02x takes an 8-digit number; the other area codes (0xxx) take 7 or 8 digits. */
const LANDLINE = /^0(?:(?:10|2\d)\d{8}|[3-9]\d{2}\d{7,8})$/;
/** Longest form: 0086 + 11-digit mobile. */
const MAX_DIGITS = 15;

/** Digits only, without the country code, when the digits are a mainland mobile or a landline with area code. */
export function asPhoneNumber(digits: string): string | undefined {
  const national = digits.replace(/^(?:0086|86)(?=1[3-9]\d{9}$)/, '');
  return MOBILE.test(national) || LANDLINE.test(national) ? national : undefined;
}

/** The phone number made of whole groups of the run starting at group `from`, shortest first. */
function phoneFrom(run: DigitRun, from: number): (Located<string> & { next: number }) | undefined {
  let digits = '';
  for (let j = from; j < run.tokens.length && digits.length < MAX_DIGITS; j++) {
    digits += run.tokens[j]!.digits;
    const phone = asPhoneNumber(digits);
    if (phone) return { value: phone, start: run.tokens[from]!.start, end: run.tokens[j]!.end, next: j + 1 };
  }
  return undefined;
}

/** The first phone number in a run of digit groups. Groups are never split: a phone is whole groups. */
export function firstPhoneInRun(run: DigitRun): Located<string> | undefined {
  for (let i = 0; i < run.tokens.length; i++) {
    const phone = phoneFrom(run, i);
    if (phone) return { value: phone.value, start: phone.start, end: phone.end };
  }
  return undefined;
}

/** True when the whole run is phone numbers side by side ("13800138000 0539-1234567"). */
export function isOnlyPhones(run: DigitRun): boolean {
  let i = 0;
  while (i < run.tokens.length) {
    const phone = phoneFrom(run, i);
    if (!phone) return false;
    i = phone.next;
  }
  return true;
}
