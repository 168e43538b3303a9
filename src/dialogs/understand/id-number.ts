import { findDigitRuns, isDigitSeparator, readDigitUnit, tokenWindows, type DigitRun } from './digits.js';
import { normalizeUtterance } from './normalize.js';
import { parseChineseInt } from './numbers.js';
import { isOnlyPhones } from './phone-digits.js';
import type { Located } from './span.js';

export type IdNumberResult =
  | { ok: true; value: string; sex: 'male' | 'female'; birthDate: string /* YYYY-MM-DD */ }
  | { ok: false; code: 'empty' | 'length' | 'chars' | 'birthdate' | 'checksum'; message: string };
export type IdNumberError = Extract<IdNumberResult, { ok: false }>;

const ID_LENGTH = 18;
/** ISO 7064 MOD 11-2 as GB 11643 applies it: weights for the first 17 digits, check char by sum mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
/** The reference example 440524188001010014 is a real-format number born in 1880. */
const EARLIEST_BIRTH_YEAR = 1880;
/** Fewer digits in a row is something else (a phone, an age, a house number), not an attempt at an ID number. */
const MIN_ATTEMPT_DIGITS = 15;
/** Punctuation a resident may leave around or inside the number, and the keypad's closing #. */
const IGNORABLE = /[，,。.、：:#]/;

function fail(code: IdNumberError['code'], message: string): IdNumberError {
  return { ok: false, code, message };
}

function checkChar(chars: string): string {
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(chars[i]), 0);
  return CHECK_CHARS[sum % 11]!;
}

/** Today's date in China, where every birth date on an ID card was registered. */
function todayInChina(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD when the 8 digits are a real calendar date in the accepted range. */
function birthDate(yyyymmdd: string): string | undefined {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return real && year >= EARLIEST_BIRTH_YEAR && iso <= todayInChina() ? iso : undefined;
}

/** Validates an ID number already reduced to ASCII digits and X. */
function checkIdChars(chars: string): IdNumberResult {
  if (chars.length === 0) return fail('empty', '没有收到身份证号，请再说一遍');
  if (!/^\d*X?$/.test(chars)) return fail('chars', '身份证号只能是数字，只有最后一位可能是X，请再核对一下');
  if (chars.length !== ID_LENGTH) return fail('length', `身份证号应为18位，您输入了${chars.length}位`);
  const birth = birthDate(chars.slice(6, 14));
  if (!birth) return fail('birthdate', `出生日期不对：身份证号第7到14位是${chars.slice(6, 14)}，请再核对一下`);
  if (checkChar(chars) !== chars[17]) return fail('checksum', '身份证号最后一位校验不对，请再核对一下');
  return { ok: true, value: chars, sex: Number(chars[16]) % 2 === 1 ? 'male' : 'female', birthDate: birth };
}

/**
 * The birth date inside an ID number read out as a date ("一九六二年四月十八号", "1962年4月18日"):
 * written as the eight digits it stands for, so the number reads on.
 */
const SPOKEN_DATE = /([0-9零〇幺一二三四五六七八九洞]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十廿]{1,3})[日号號]?/g;

/** Where a birth date is said as a date, for masking. */
export function spokenDateSpans(text: string): { start: number; end: number }[] {
  return [...text.matchAll(SPOKEN_DATE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function withDatesAsDigits(text: string): string {
  return text.replace(SPOKEN_DATE, (whole, year: string, month: string, day: string) => {
    const m = parseChineseInt(month);
    const d = parseChineseInt(day);
    if (m === undefined || d === undefined || m < 1 || m > 12 || d < 1 || d > 31) return whole;
    return `${year}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  });
}

/**
 * The last character named after the others ("…幺幺三，最后一位是叉"): a recogniser writes X as a word, and residents
 * name it apart. Read at `at`, just after the digits it ends.
 */
const LAST_SAID = /[，,。、\s]*(?:最后一位|最后一个|最后那个|最后|末位|末尾|尾数)(?:数字?|字)?(?:是|为|念|读|写的?是?)*(?:个|一个)?(艾克斯|爱克斯|埃克斯|叉|[Xx×0-9零〇洞幺一二两三四五六七拐八九勾])/y;

function lastSaid(text: string, at: number): { char: string; end: number } | undefined {
  LAST_SAID.lastIndex = at;
  const m = LAST_SAID.exec(text);
  const unit = m && readDigitUnit(m[1]!, 0, true);
  return m && unit ? { char: unit.char, end: at + m[0].length } : undefined;
}

/** Seventeen digits, then the last named apart: the phrase read as that character (said again after 18, dropped). */
function withLastSaid(text: string): string {
  const runs = findDigitRuns(text, true);
  for (const run of runs.reverse()) {
    const last = run.digits.length >= ID_LENGTH - 1 ? lastSaid(text, run.end) : undefined;
    if (last) return text.slice(0, run.end) + (run.digits.length === ID_LENGTH - 1 ? last.char : '') + text.slice(last.end);
  }
  return text;
}

export function parseIdNumber(input: string): IdNumberResult {
  const text = withLastSaid(withDatesAsDigits(normalizeUtterance(input)));
  let chars = '';
  let stray = false;
  for (let i = 0; i < text.length; ) {
    const unit = readDigitUnit(text, i, true);
    if (unit) {
      chars += unit.char;
      i += unit.length;
      continue;
    }
    if (!isDigitSeparator(text[i]!) && !IGNORABLE.test(text[i]!)) stray = true;
    i++;
  }
  const checked = checkIdChars(chars);
  // Words between the groups ("前面是…后面是…") are fine when the digits make a valid number.
  return stray && !checked.ok ? fail('chars', '身份证号只能是数字，只有最后一位可能是X，请再核对一下') : checked;
}

/**
 * The first `length` digits of a run when typed digits run straight into a Chinese numeral
 * ("…0014一家五口" reads 一 as a digit). Only at that change of script: an extra typed digit
 * is a mistake to report, not to cut off. Digits before the end are one character each,
 * because an X form always ends a run.
 */
function typedThenSpoken(text: string, run: DigitRun, length: number): Located<string> | undefined {
  let taken = 0;
  for (const token of run.tokens) {
    if (taken + token.digits.length > length) {
      const end = token.start + (length - taken);
      const scriptChange = /\d/.test(text[end - 1] ?? '') && !/\d/.test(text[end] ?? '');
      return scriptChange ? { value: run.digits.slice(0, length), start: run.start, end } : undefined;
    }
    taken += token.digits.length;
  }
  return undefined;
}

/** Candidate 18-character numbers inside a longer run: whole groups, or typed digits before spoken words. */
function eighteenIn(text: string, run: DigitRun): Located<IdNumberResult>[] {
  const windows = tokenWindows(run, ID_LENGTH).map((w) => ({ value: checkIdChars(w.digits), start: w.start, end: w.end }));
  const leading = typedThenSpoken(text, run, ID_LENGTH);
  const prefix = leading && { value: checkIdChars(leading.value), start: leading.start, end: leading.end };
  return prefix?.value.ok ? [prefix, ...windows] : windows;
}

/** Each ID-number attempt in normalized text, one per run of digits, with its span. */
function* idAttempts(text: string): Generator<Located<IdNumberResult>> {
  for (const run of findDigitRuns(text, true)) {
    if (run.digits.length < MIN_ATTEMPT_DIGITS) continue;
    if (run.digits.length !== ID_LENGTH) {
      // Several numbers typed together ("13800138000 37130219580312002X"): look for the ID among them.
      const candidates = eighteenIn(text, run);
      const best = candidates.find((c) => c.value.ok) ?? candidates[0];
      if (best) {
        yield best;
        continue;
      }
      if (isOnlyPhones(run)) continue;
    }
    const last = run.digits.length === ID_LENGTH - 1 ? lastSaid(text, run.end) : undefined;
    if (last) yield { value: checkIdChars(run.digits + last.char), start: run.start, end: last.end };
    else yield { value: checkIdChars(run.digits), start: run.start, end: run.end };
  }
}

/** Words that take back what was just said: "哎不对，这是俺的". */
const TAKEN_BACK = /不对|错了|说错|念错|不是这个|重说|重新说/;

/**
 * The ID-number attempt in normalized text, with its span: the first, unless it is taken back in the same
 * message ("…二幺五幺 哎不对 这是俺的 俺儿子的是…"): then the valid number said after that.
 */
export function locateIdNumber(text: string): Located<IdNumberResult> | undefined {
  const [first, ...later] = idAttempts(text);
  if (!first) return undefined;
  const instead = later.filter((a) => a.value.ok && TAKEN_BACK.test(text.slice(first.end, a.start)));
  return instead.at(-1) ?? first;
}

export function findIdNumber(text: string): IdNumberResult | undefined {
  return locateIdNumber(withDatesAsDigits(normalizeUtterance(text)))?.value;
}
