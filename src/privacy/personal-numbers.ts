import { createHash } from 'node:crypto';
import { digitUnits, scanDigits, type DigitAt, type DigitGroup, type DigitGroups, type ScanOptions } from '../dialogs/understand/digits.js';
import { locateIdNumber, parseIdNumber, spokenDateSpans } from '../dialogs/understand/id-number.js';
import { normalizeUtterance } from '../dialogs/understand/normalize.js';
import { asPhoneNumber } from '../dialogs/understand/phone-digits.js';
import { extractPhoneLoose, locatePhone } from '../dialogs/understand/phone.js';
import { maskIdNumber, maskPhone } from '../domain/masking.js';

/**
 * Every ID and phone number in what a resident wrote or said, masked: the one module for masking personal numbers,
 * used wherever text is stored or shown (transcripts and raw payloads, log lines, exports, notifications, staff
 * default views).
 *
 * Numbers are read with the dialog's own scanner (`scanDigits` in src/dialogs/understand/digits.ts: typed and
 * full-width digits, 零〇洞幺一二两三四五六七拐八九勾, the X forms, groups parted by separators or a hesitation "嗯"), on
 * the text normalised the way the dialog normalises it (traditional 兩/么/枴 fold to 两/幺/拐). It is asked to join
 * groups across more separators than the dialog does (`.` `，` `、` `:` `#` as well as spaces, dashes and brackets),
 * and a change between typed and spoken digits starts a new group, so anything the dialog can read as an ID or phone
 * number is found here too, and a few forms it cannot read yet (dotted mobiles) are masked all the same. The
 * whole-message readings (an ID or a mobile said in pieces with words between) are asked of the parser itself, and
 * the masked text is read once more: if a number can still be read from it, every digit goes.
 * (test/privacy/personal-numbers.test.ts checks 10,000+ generated variants against the parser's own readers.)
 */

/**
 * The masked forms shown by default: an ID number (`110***********002X`) and a phone (`138****1234`). They are defined
 * beside the domain vocabulary (src/domain/masking.ts) because the dialog shows a captured value back with them and
 * the dialog sits below this module; everything else takes them from here.
 */
export { maskIdNumber, maskPhone };

/**
 * Every run of seven or more digits (full-width too; X at the end, spaces and dashes inside), first 3 and last 4
 * kept: cruder than `maskPersonalNumbers` and with no reading of what the number is, for the routing code's prompts
 * to a model, its snippets and its evaluation reports (`电话13812341234` → `电话138****1234`).
 */
export function maskDigitRuns(text: string): string {
  return text.replace(/[0-9０-９][0-9０-９xXｘＸ \-]{5,}[0-9０-９xXｘＸ]/g, (run) => {
    const chars = [...run.replace(/[ \-]/g, '')];
    if (chars.length < 7) return run;
    return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
  });
}

// ───────────────────────── reading the digits ─────────────────────────

/** The fewest digits the dialog reads as an ID-number attempt (an old 15-digit number, or an 18 with a slip). */
const ATTEMPT_DIGITS = 15;
const ID_LENGTH = 18;
/** The dialog reads a phone of 10 digits at the least (a landline said in pieces, 0 and 9 more): below this nothing is read. */
const MIN_READABLE = 10;

const normalised = new Map<string, string>();

/** One character as the dialog's normaliser writes it, when that stays one character. */
function normalChar(ch: string): string {
  let n = normalised.get(ch);
  if (n === undefined) {
    const out = normalizeUtterance(ch);
    n = out.length === 1 ? out : /\s/.test(ch) ? ' ' : ch;
    normalised.set(ch, n);
  }
  return n;
}

/** Whitespace escaped inside a serialised JSON string (a log line): `\n`, `\t`, `\u3000`… read as spaces. */
const JSON_SPACE = /\\(?:[nrtbf]|u(?:00[01][0-9a-fA-F]|3000|00[aA]0|200[0-9aAbB]|2028|2029))/g;

/** Characters the dialog's traditional-to-simplified folding may turn into a digit or an X form (checked over U+2000–U+FFEF). */
const FOLDS_TO_DIGIT = /[么兩剋愛枴柺\uF900-\uFAFF]/;

export type MaskOptions = {
  /** The text is serialised JSON (a log line): escaped whitespace between digit groups separates them like a space. */
  jsonEscapes?: boolean;
};

/**
 * The text normalised as the dialog normalises it, position for position, so a number found in it is masked at the
 * same place in what the resident wrote. Whitespace is kept (one space per character) rather than collapsed.
 */
export function alignedText(text: string, opts: MaskOptions = {}): string {
  const source = opts.jsonEscapes ? text.replace(JSON_SPACE, (m) => ' '.repeat(m.length)) : text;
  return folded(source).replace(MACHINE_ID, (m) => '_'.repeat(m.length));
}

/**
 * Machine identifiers hold digits that are nobody's number: UUIDs (a message id in a log line), provider ids (SM…,
 * CA… and 32 hex), hashes. Hex with at least one letter, 20 characters or more, standing alone, and without 15 digits
 * in a row (an ID number glued to a few letters is still read).
 */
const MACHINE_ID =
  /(?<![0-9A-Za-z])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z]{2}(?![0-9a-f]*\d{15})[0-9a-f]{32}|(?=[0-9a-f]*[a-f])(?![0-9a-f]*\d{15})[0-9a-f]{20,})(?![0-9A-Za-z])/gi;

function folded(source: string): string {
  // Nothing the dialog's script folding turns into a digit or an X form (the traditional 兩/枴/柺/剋/愛, a lone 么,
  // compatibility ideographs): only widths and spaces to fold, without the dictionary.
  if (!FOLDS_TO_DIGIT.test(source)) return source.replace(/\s/g, ' ').replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  const SPACE = '\u2423';
  const whole = normalizeUtterance(source.replace(/\s/g, SPACE)).replaceAll(SPACE, ' ');
  // Phrase-aware folding (什么 stays 什么, a lone 么 reads 幺) when it keeps every position; else one character at a time.
  if (whole.length === source.length) return whole;
  let out = '';
  for (const ch of source) out += ch.length === 1 ? normalChar(ch) : ch;
  return out.length === source.length ? out : source;
}

/**
 * How the masking asks the dialog's scanner for runs: groups joined across written punctuation too, a change between
 * typed and spoken digits starting a new group, an X read only once a run has begun.
 */
const MASKING_SCAN: ScanOptions = { x: 'in-run', separators: 'written', splitAtScript: true };

/** Every run of digits in aligned text, as the masking reads them. */
export function numberRuns(aligned: string): DigitGroups[] {
  return scanDigits(aligned, MASKING_SCAN);
}

// ───────────────────────── finding the numbers ─────────────────────────

type Found = { kind: 'id' | 'phone' | 'attempt'; units: DigitAt[] };

const digitsOf = (groups: DigitGroup[]) => groups.map((g) => g.map((u) => u.char).join('')).join('');

/**
 * A phone number as the dialog reads it (mobile, with or without 86/0086; landline with its area code), or a landline
 * in international form (+86 539 8123456, 0086 539…: the area code's 0 dropped), with how many leading digits are
 * the country code.
 */
function asPhone(digits: string, plus: boolean): { national: string; cc: number } | undefined {
  const national = asPhoneNumber(digits);
  if (national) return { national, cc: digits.length - national.length };
  const cc = digits.startsWith('0086') ? 4 : plus && digits.startsWith('86') ? 2 : 0;
  const landline = cc > 0 && digits[cc] !== '0' ? asPhoneNumber(`0${digits.slice(cc)}`) : undefined;
  return landline ? { national: landline, cc } : undefined;
}

/**
 * The first phone number made of whole groups starting at group `from`, shortest first (as the dialog reads it). An X
 * form ends its run; the dialog reads phones with no X, so a phone may end just before one ("…7792×").
 */
function phoneAt(run: DigitGroups, from: number, plus: boolean): number | undefined {
  let digits = '';
  for (let j = from; j < run.length && digits.length < 15; j++) {
    const group = digitsOf([run[j]!]);
    digits += group.replace(/X$/, '');
    if (asPhone(digits, plus && from === 0)) return j;
    if (group.endsWith('X')) return undefined;
  }
  return undefined;
}

/** Whole groups from `from` holding exactly 18 characters: an ID number, valid or not. */
function idAt(run: DigitGroups, from: number): { to: number; valid: boolean } | undefined {
  let digits = '';
  for (let j = from; j < run.length && digits.length < ID_LENGTH; j++) {
    digits += digitsOf([run[j]!]);
    if (digits.length === ID_LENGTH) return { to: j, valid: parseIdNumber(digits).ok };
  }
  return undefined;
}

/** The numbers in one run: IDs and phones of whole groups, and any leftover stretch long enough to be an ID attempt. */
function numbersIn(run: DigitGroups, aligned: string): Found[] {
  const plus = aligned[run[0]![0]!.start - 1] === '+';
  const found: Found[] = [];
  const taken = new Array<boolean>(run.length).fill(false);
  const take = (kind: Found['kind'], from: number, to: number) => {
    const units = run.slice(from, to + 1).flat();
    found.push({ kind, units: kind === 'phone' ? units.filter((u) => u.char !== 'X') : units });
    for (let k = from; k <= to; k++) taken[k] = true;
  };
  for (let i = 0; i < run.length; ) {
    const id = idAt(run, i);
    const phone = phoneAt(run, i, plus);
    if (id?.valid) {
      take('id', i, id.to);
      i = id.to + 1;
    } else if (phone !== undefined) {
      take('phone', i, phone);
      i = phone + 1;
    } else if (id) {
      take('id', i, id.to);
      i = id.to + 1;
    } else i++;
  }
  // What is left between them: 15 or more digits in a row is an attempt at an ID number (a slip, an old 15-digit one).
  for (let i = 0; i < run.length; ) {
    if (taken[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < run.length && !taken[j + 1]) j++;
    if (digitsOf(run.slice(i, j + 1)).length >= ATTEMPT_DIGITS) take('attempt', i, j);
    i = j + 1;
  }
  return found;
}

/**
 * The whole message as one answer: the dialog reads an ID number from every digit of a reply that holds nothing else
 * but words between the groups ("前面是110105，后面是…"), and a mobile said in pieces ("幺三八，然后是…").
 */
function wholeAnswer(text: string, aligned: string): Found | undefined {
  const withX = digitUnits(aligned, true);
  // The dialog reads 18 characters, X only last: anything else cannot be one, and needs no reading.
  const chars = withX.map((u) => u.char).join('');
  if (/^\d{17}[\dX]$/.test(chars) && parseIdNumber(text).ok) return { kind: 'id', units: withX };
  const digits = withX.filter((u) => u.char !== 'X');
  if (digits.length >= MIN_READABLE && digits.length <= 12 && extractPhoneLoose(text)) return { kind: 'phone', units: digits };
  return undefined;
}

// ───────────────────────── masking ─────────────────────────

type Edit = { start: number; end: number; text: string };

/** First 3 and last 4 as written, the rest one `*` each; the separators inside go. A phone drops its country code. */
function contiguous(text: string, f: Found): Edit {
  let units = f.units;
  let start = units[0]!.start;
  if (f.kind === 'phone') {
    const cc = asPhone(units.map((u) => u.char).join(''), text[start - 1] === '+')?.cc ?? 0;
    if (cc > 0) {
      units = units.slice(cc);
      if (text[start - 1] === '+') start -= 1;
    }
  }
  // "(0539)8123456": the bracket around the area code goes with the number it opened.
  if ('(（'.includes(text[start - 1] ?? '-') && /[)）]/.test(text.slice(start, units.at(-1)!.end))) start -= 1;
  const shown = (u: DigitAt) => text.slice(u.start, u.end);
  const n = units.length;
  const keepHead = Math.min(3, Math.max(0, n - 4));
  const keepTail = n >= 8 ? 4 : 0;
  const head = units.slice(0, keepHead).map(shown).join('');
  const tail = units.slice(n - keepTail).map(shown).join('');
  return { start, end: units.at(-1)!.end, text: head + '*'.repeat(n - keepHead - keepTail) + tail };
}

/** Digits scattered among words: each masked where it stands, the words kept. */
function scattered(f: Found): Edit[] {
  const n = f.units.length;
  return f.units.filter((_, i) => i >= 3 && i < n - 4).map((u) => ({ start: u.start, end: u.end, text: '*' }));
}

function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue;
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The dialog reads an ID number here only with a birth date said as a date. */
function datedIdNumber(text: string): boolean {
  const normal = normalizeUtterance(text);
  return spokenDateSpans(normal).length > 0 && parseIdNumber(normal).ok;
}

/** Whether the dialog could still read an ID or phone number out of this text. */
export function parserReadsNumber(text: string, opts: MaskOptions = {}): boolean {
  if (datedIdNumber(text)) return true;
  const aligned = alignedText(text, opts);
  const withX = digitUnits(aligned, true).length;
  if (withX < MIN_READABLE) return false;
  // The located readings on the aligned text are the dialog's findIdNumber/extractPhone without their normalising pass.
  // They read inside runs of digits, and the dialog's runs lie within these (the same scanner, asked here to join groups
  // across more separators): without a run long enough for a phone there is nothing for them to find.
  const longRun = numberRuns(aligned).some((run) => run.reduce((n, g) => n + g.length, 0) >= MIN_READABLE);
  if (longRun && (locateIdNumber(aligned)?.value.ok || locatePhone(aligned))) return true;
  if (withX === ID_LENGTH && parseIdNumber(text).ok) return true;
  const digits = digitUnits(aligned, false).length;
  return digits >= MIN_READABLE && digits <= 12 && extractPhoneLoose(text) !== undefined;
}

/**
 * The text with every ID and phone number masked (first 3 and last 4 kept), the words around them as written. Text
 * without one comes back unchanged; masking masked text changes nothing.
 */
export function maskPersonalNumbers(text: string, opts: MaskOptions = {}): string {
  if (!text) return text;
  // An ID number with its birth date said as a date ("一九六二年四月十八号"): the date goes, then every digit.
  if (datedIdNumber(text)) return maskEveryDigit(applyEdits(text, spokenDateSpans(text).map((d) => ({ ...d, text: '**年**月**日' }))), opts);
  const aligned = alignedText(text, opts);
  const found = numberRuns(aligned).flatMap((run) => numbersIn(run, aligned));
  // The whole message read as one answer, when its digits are not one number written together: masked where each
  // stands, before anything else, since its groups may look like something else on their own.
  const whole = wholeAnswer(text, aligned);
  const covered = new Set(found.flatMap((f) => f.units.map((u) => u.start)));
  if (whole && whole.units.some((u) => !covered.has(u.start))) {
    const out = applyEdits(text, scattered(whole));
    const again = alignedText(out, opts);
    const rest = applyEdits(out, numberRuns(again).flatMap((run) => numbersIn(run, again)).map((f) => contiguous(out, f)));
    return stillReadable(rest, opts) ? maskEveryDigit(rest, opts) : rest;
  }
  if (found.length === 0 && !whole) return text;
  const out = applyEdits(text, found.map((f) => contiguous(text, f)));
  return stillReadable(out, opts) ? maskEveryDigit(out, opts) : out;
}

/**
 * The last check on masked text, cheap enough for every log line: a number still found the same way, or the whole
 * text still read as one answer. (The dialog's located readings find numbers within runs this reader finds too;
 * `parserReadsNumber` asks the dialog itself, for tests.)
 */
function stillReadable(text: string, opts: MaskOptions): boolean {
  const aligned = alignedText(text, opts);
  return numberRuns(aligned).some((run) => numbersIn(run, aligned).length > 0) || wholeAnswer(text, aligned) !== undefined;
}

/** The last resort: every digit the dialog could read, one `*` each. */
function maskEveryDigit(text: string, opts: MaskOptions): string {
  return applyEdits(text, digitUnits(alignedText(text, opts), false).map((u) => ({ start: u.start, end: u.end, text: '*' })));
}

/** How many strings found clean maskRepeated remembers (of each kind), and the longest it remembers. */
const REMEMBERED = 1024;
const REMEMBERED_LENGTH = 256;
const remembered = { day: -1, plain: new Set<string>(), json: new Set<string>() };

/**
 * maskPersonalNumbers for strings that come again and again with every request: a provider's account id and our own
 * number in each webhook's payload, the parts of a log line around its values. One found to hold no number is
 * remembered (the most recently seen REMEMBERED of them, by a SHA-256 digest: no text is kept) and not read again;
 * what it returns is what maskPersonalNumbers returns. The digests are forgotten when the day changes in China (an ID
 * number's birth date is read against today).
 */
export function maskRepeated(text: string, opts: MaskOptions = {}): string {
  if (text.length > REMEMBERED_LENGTH) return maskPersonalNumbers(text, opts);
  const day = Math.floor((Date.now() + 8 * 3_600_000) / 86_400_000);
  if (day !== remembered.day) {
    remembered.day = day;
    remembered.plain.clear();
    remembered.json.clear();
  }
  const clean = opts.jsonEscapes ? remembered.json : remembered.plain;
  const digest = createHash('sha256').update(text).digest('base64');
  if (clean.delete(digest)) {
    clean.add(digest);
    return text;
  }
  const out = maskPersonalNumbers(text, opts);
  if (out === text) {
    clean.add(digest);
    if (clean.size > REMEMBERED) clean.delete(clean.values().next().value!);
  }
  return out;
}

/** Keys pressed on a call (`*` stands for X, `#` ends the entry): an ID or phone number keyed in is masked the same way. */
export function maskKeypad(digits: string): string {
  return maskPersonalNumbers(digits);
}

/** Every string inside a JSON value masked (keys and structure kept), e.g. an emergency report or a job's data. */
export function maskPersonalNumbersIn<T>(value: T): T {
  if (typeof value === 'string') return maskPersonalNumbers(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskPersonalNumbersIn(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalNumbersIn(v)])) as T;
  }
  return value;
}

/** A resident's channel address as staff see it by default: a phone masked, a WeChat/WeCom id shortened. */
export function maskAddress(address: string): string {
  if (/^\+?\d{7,15}$/.test(address)) return maskPhone(address);
  // A number written some other way ("0539-8123456", "+86 138 0013 8000") is masked as in any text.
  if (maskPersonalNumbers(address) !== address) return maskPersonalNumbers(address);
  return address.length <= 6 ? '***' : `${address.slice(0, 3)}***${address.slice(-2)}`;
}
