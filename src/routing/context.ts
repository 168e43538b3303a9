/**
 * What the words just before a keyword say about it: negated ("没有着火") or asked about
 * ("是不是着火了"). Time and the other modalities are read per clause by frames.ts.
 */

/**
 * Longest first, so "没有" is tried before "没". Prevention says it is not happening either: a
 * 防走失 bracelet, 预防煤气中毒 advice.
 */
const NEGATION_CUES = ['从来没有', '并没有', '从来没', '不是', '没有', '并非', '并没', '从没', '不会', '不用', '木有', '没得', '防止', '预防', '没', '不', '别', '冇', '防'];

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
