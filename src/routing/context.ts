/**
 * What the words just before a keyword say about it: negated ("没有着火"),
 * asked about ("是不是着火了"), or told as past ("上个月着了火").
 */

/** Longest first, so "没有" is tried before "没". */
const NEGATION_CUES = ['从来没有', '并没有', '从来没', '不是', '没有', '并非', '并没', '从没', '不会', '不用', '木有', '没得', '没', '不', '别', '冇'];

/**
 * Words allowed between a negation cue and the keyword ("不是说要跳楼", "没想过寻短见", "没有人打我").
 * Anything else breaks the link, so "交不起学费" and "没钱看病" stay affirmative:
 * there the negation belongs to another word and states the hardship.
 */
const FILLERS = new Set([...'有是想要说会在过再曾真就都也还被人']);
const MAX_FILLERS = 3;

/** A cue between two copies of its verb is a question, not a negation: 是不是, 会不会, 有没有. */
function isQuestion(text: string, cue: string, from: number): boolean {
  if (from === 0) return false;
  const before = text[from - 1];
  if (cue.startsWith('没')) return before === '有';
  return cue.startsWith('不') && before === text[from + 1];
}

export type Polarity = 'affirmed' | 'negated' | 'asked';

/** Last characters of the cues: most keywords follow none of these, and skip the cue search. */
const CUE_ENDINGS = new Set(NEGATION_CUES.map((cue) => cue[cue.length - 1] as string));

export function polarityAt(text: string, start: number): Polarity {
  const before = text[start - 1];
  if (before === undefined || (!CUE_ENDINGS.has(before) && !FILLERS.has(before))) return 'affirmed';
  for (let gap = 0; gap <= MAX_FILLERS && start - gap >= 0; gap++) {
    const at = start - gap;
    if (gap > 0 && !FILLERS.has(text[at] as string)) break;
    for (const cue of NEGATION_CUES) {
      const from = at - cue.length;
      if (from < 0 || !text.startsWith(cue, from)) continue;
      return isQuestion(text, cue, from) ? 'asked' : 'negated';
    }
  }
  return 'affirmed';
}

const SENTENCE_END = new Set([...'。！？!?；;\n']);

/** Start of the sentence holding position `at` (a comma does not end a sentence). */
function sentenceStart(text: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) if (SENTENCE_END.has(text[i] as string)) return i + 1;
  return 0;
}

/**
 * Markers that put an event in the past: a fire "上个月" is not a fire now. Recent ones
 * (昨晚, 刚才) are left out on purpose, and so is 过去, which in speech is mostly "go over there".
 */
const PAST_MARKERS = ['以前', '之前', '前几年', '那几年', '前些年', '早些年', '几年前', '前年', '去年', '上个月', '上月', '那年', '当年', '曾经', '上回', '上次', '那时候'];

export function toldAsPast(text: string, start: number): boolean {
  const sentence = text.slice(sentenceStart(text, start), start);
  return PAST_MARKERS.some((m) => sentence.includes(m));
}

/** Words that make a report uncertain; the signal still counts, the reason says "疑似". */
const HEDGES = ['好像', '可能', '似乎', '恐怕', '担心', '万一', '估计', '说不定', '是不是', '有没有', '会不会', '怕'];

export function hedged(text: string, start: number): boolean {
  const sentence = text.slice(sentenceStart(text, start), start);
  return HEDGES.some((h) => sentence.includes(h));
}
