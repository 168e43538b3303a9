/**
 * The one reader of numbers in resident text: every digit however it is written (typed, full-width once folded,
 * 零〇洞幺一二两三四五六七拐八九勾, the X forms) and how digits stand together in groups and runs. The dialog's
 * readers (ID numbers, phones, tracking numbers) and the masking of personal numbers (src/privacy/personal-numbers.ts)
 * both scan with `scanDigits`; the masking only asks it to join groups across more separators, so every run the
 * dialog reads lies within a run the masking reads.
 */

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
/** Characters an X form starts with: only at these is the list above tried. */
const X_STARTS = new Set(X_FORMS.map((f) => f[0]!));

/** Characters residents put between digit groups: "138 0013 8000", "0539-1234567", "+86 138…", "(0539)". */
const SEPARATORS = new Set([' ', '-', '–', '—', '(', ')', '+']);
/**
 * Written punctuation that may also stand between the groups of one number ("110105.19491231.002X", "138，1234，5678",
 * 、 : # and other dashes). The dialog does not join groups across these; the masking does, so that a number written
 * this way is masked even where the dialog cannot read it.
 */
const WRITTEN_SEPARATORS = new Set([...SEPARATORS, '‐', '‑', '−', '.', '。', ',', '，', '、', ':', '：', '#', '．']);

type DigitUnit = { char: string; length: number };

/** Reads one digit (or, when allowed, an X form) at position i, whatever way it was written. */
export function readDigitUnit(text: string, i: number, allowX: boolean): DigitUnit | undefined {
  const ch = text[i];
  if (ch === undefined) return undefined;
  if (ch >= '0' && ch <= '9') return { char: ch, length: 1 };
  const spoken = SPOKEN_DIGITS[ch];
  if (spoken) return { char: spoken, length: 1 };
  if (allowX && X_STARTS.has(ch)) {
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
function hesitationBetweenGroups(text: string, i: number, allowX: boolean, separators: Set<string>): boolean {
  if (!HESITATION.test(text[i]!)) return false;
  let j = i;
  while (j < text.length && (HESITATION.test(text[j]!) || separators.has(text[j]!))) j++;
  return readDigitUnit(text, j, allowX) !== undefined;
}

/** One digit as written: where it stands in the text, and what it reads as (0-9 or X). */
export type DigitAt = { start: number; end: number; char: string };
/** Digits written together, with nothing but separators between them. */
export type DigitGroup = DigitAt[];
/** Groups joined only by separators (or a hesitation): one or several numbers side by side. */
export type DigitGroups = DigitGroup[];

/** Every digit unit of the text, wherever it stands, the words between left out. */
export function digitUnits(text: string, allowX: boolean): DigitAt[] {
  const units: DigitAt[] = [];
  for (let i = 0; i < text.length; ) {
    const unit = readDigitUnit(text, i, allowX);
    if (unit) {
      units.push({ start: i, end: i + unit.length, char: unit.char });
      i += unit.length;
    } else i++;
  }
  return units;
}

/** Every digit in the text, in whatever script and order, with the words between left out (X forms not counted). */
export function allDigits(text: string): string {
  return digitUnits(text, false)
    .map((u) => u.char)
    .join('');
}

export type ScanOptions = {
  /** Where an X form is read: nowhere, anywhere, or only once a run has begun. An X always ends its run. */
  x: 'never' | 'anywhere' | 'in-run';
  /** Which characters join groups into a run: the dialog's (spaces, dashes, brackets, +), or written punctuation too. */
  separators?: 'spoken' | 'written';
  /** Typed digits running into spoken ones ("…0014一家五口") start a new group: a number may end at the change. */
  splitAtScript?: boolean;
};

/**
 * The runs of digits in text: groups separated only by separators (or a hesitation, "嗯") form one run, anything else
 * ends it. An X ends a run, as it can only be an ID number's last character.
 */
export function scanDigits(text: string, opts: ScanOptions): DigitGroups[] {
  const separators = opts.separators === 'written' ? WRITTEN_SEPARATORS : SEPARATORS;
  const runs: DigitGroups[] = [];
  let run: DigitGroups = [];
  let group: DigitGroup = [];
  const endGroup = () => {
    if (group.length) run.push(group);
    group = [];
  };
  const endRun = () => {
    endGroup();
    if (run.length) runs.push(run);
    run = [];
  };
  for (let i = 0; i < text.length; ) {
    const inRun = group.length > 0 || run.length > 0;
    const allowX = opts.x === 'anywhere' || (opts.x === 'in-run' && inRun);
    const unit = readDigitUnit(text, i, allowX);
    if (unit) {
      const u = { start: i, end: i + unit.length, char: unit.char };
      const last = group.at(-1);
      if (opts.splitAtScript && last && unit.char !== 'X' && isTyped(text, last) !== isTyped(text, u)) endGroup();
      group.push(u);
      i += unit.length;
      if (unit.char === 'X') endRun();
    } else if (inRun && (separators.has(text[i]!) || hesitationBetweenGroups(text, i, allowX, separators))) {
      endGroup();
      i++;
    } else {
      endRun();
      i++;
    }
  }
  endRun();
  return runs;
}

function isTyped(text: string, u: DigitAt): boolean {
  const ch = text[u.start]!;
  return ch >= '0' && ch <= '9';
}

/** One group of digits as the resident wrote it; `digits` are ASCII (and X). */
export type DigitToken = { digits: string; start: number; end: number };
export type DigitRun = { tokens: DigitToken[]; digits: string; start: number; end: number };

/**
 * The runs of digits as the dialog reads them: `scanDigits` with the dialog's separators (or, asked, written punctuation
 * too), each group as its digits.
 */
export function findDigitRuns(text: string, allowX: boolean, separators: ScanOptions['separators'] = 'spoken'): DigitRun[] {
  return scanDigits(text, { x: allowX ? 'anywhere' : 'never', separators }).map((groups) => {
    const tokens = groups.map((g) => ({ digits: g.map((u) => u.char).join(''), start: g[0]!.start, end: g.at(-1)!.end }));
    return { tokens, digits: tokens.map((t) => t.digits).join(''), start: tokens[0]!.start, end: tokens.at(-1)!.end };
  });
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
