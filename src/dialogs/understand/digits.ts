/** Digits as read aloud, including the telephone forms 幺 (1), 两 (2), 拐 (7), 勾 (9), 洞 (0). */
const SPOKEN_DIGITS: Record<string, string> = {
  零: '0', 〇: '0', 洞: '0',
  幺: '1', 一: '1',
  二: '2', 两: '2',
  三: '3', 四: '4', 五: '5', 六: '6',
  七: '7', 拐: '7',
  八: '8',
  九: '9', 勾: '9',
};

/** The ID check character X: speech recognition spells the letter out, keypads have no X so * stands in. */
const X_FORMS = ['艾克斯', '爱克斯', '埃克斯', '叉', '×', 'X', 'x', '*'];

/** Characters residents put between digit groups: "138 0013 8000", "0539-1234567", "+86 138…", "(0539)". */
const SEPARATORS = new Set([' ', '-', '–', '—', '(', ')', '+']);

type DigitUnit = { char: string; length: number };

/** Reads one digit (or, when allowed, an X form) at position i, whatever way it was written. */
export function readDigitUnit(text: string, i: number, allowX: boolean): DigitUnit | undefined {
  const ch = text[i];
  if (ch === undefined) return undefined;
  if (ch >= '0' && ch <= '9') return { char: ch, length: 1 };
  const spoken = SPOKEN_DIGITS[ch];
  if (spoken) return { char: spoken, length: 1 };
  if (allowX) {
    const form = X_FORMS.find((f) => text.startsWith(f, i));
    if (form) return { char: 'X', length: form.length };
  }
  return undefined;
}

export function isDigitSeparator(ch: string): boolean {
  return SEPARATORS.has(ch);
}

/** Sounds of hesitation a recogniser writes down while a number is read out ("三七幺三 洞二 嗯 幺九五五…"). */
const HESITATION = /[嗯呃额唔啊]/;

/** A hesitation between two digit groups, ending at the next digit: it parts the groups like a space does. */
function hesitationBetweenGroups(text: string, i: number, allowX: boolean): boolean {
  if (!HESITATION.test(text[i]!)) return false;
  let j = i;
  while (j < text.length && (HESITATION.test(text[j]!) || isDigitSeparator(text[j]!))) j++;
  return readDigitUnit(text, j, allowX) !== undefined;
}

/** Every digit in the text, in whatever script and order, with the words between left out (X forms not counted). */
export function allDigits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const unit = readDigitUnit(text, i, false);
    out += unit?.char ?? '';
    i += unit?.length ?? 1;
  }
  return out;
}

/** One group of digits as the resident wrote it; `digits` are ASCII (and X). */
export type DigitToken = { digits: string; start: number; end: number };
export type DigitRun = { tokens: DigitToken[]; digits: string; start: number; end: number };

/**
 * Finds runs of digits in text: groups separated only by separators (or a hesitation, "嗯") form one run,
 * anything else ends it. An X ends a run, as it can only be an ID number's last character.
 */
export function findDigitRuns(text: string, allowX: boolean): DigitRun[] {
  const runs: DigitRun[] = [];
  let tokens: DigitToken[] = [];
  let current: DigitToken | undefined;
  const endToken = () => {
    if (current) tokens.push(current);
    current = undefined;
  };
  const endRun = () => {
    endToken();
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    if (first && last) {
      runs.push({ tokens, digits: tokens.map((t) => t.digits).join(''), start: first.start, end: last.end });
    }
    tokens = [];
  };

  let i = 0;
  while (i < text.length) {
    const unit = readDigitUnit(text, i, allowX);
    if (unit) {
      current ??= { digits: '', start: i, end: i };
      current.digits += unit.char;
      i += unit.length;
      current.end = i;
      if (unit.char === 'X') endRun();
    } else if ((isDigitSeparator(text[i]!) || hesitationBetweenGroups(text, i, allowX)) && (current || tokens.length > 0)) {
      endToken();
      i++;
    } else {
      endRun();
      i++;
    }
  }
  endRun();
  return runs;
}

/** Contiguous groups of a run whose digits together have exactly `length` characters. */
export function tokenWindows(run: DigitRun, length: number): DigitRun[] {
  const windows: DigitRun[] = [];
  run.tokens.forEach((first, i) => {
    let digits = '';
    for (let j = i; j < run.tokens.length && digits.length < length; j++) {
      const token = run.tokens[j]!;
      digits += token.digits;
      if (digits.length === length) {
        windows.push({ tokens: run.tokens.slice(i, j + 1), digits, start: first.start, end: token.end });
      }
    }
  });
  return windows;
}
