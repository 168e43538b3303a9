import { analyse, type Analysis, type Hit } from './analyse.js';
import { SENTENCE_END } from './frames.js';
import { foldForLexicon } from './normalize.js';
import type { Token } from './segment.js';

/**
 * The sentences of a story and their analyses, for reading a long story part by part (urgency.ts
 * `mostUrgentPart`). A sentence's analysis is cut from the whole text's rather than made again:
 * segmenting, matching and hearing a sentence twice or three times (alone, and with the sentence
 * before and after it) was most of what reading the parts cost.
 *
 * Cutting gives exactly what `analyse` gives, because a sentence meets its neighbours at a break
 * (a sentence end or whitespace): the segmenter cuts each run of Han characters, letters and digits
 * on its own, and a break ends every run; no lexicon or frame word holds a break (a test says so);
 * a word heard by sound never runs over one, nor is a negation read across one. What can be checked
 * here is checked (the folded characters, the breaks, no word or hit over an edge), and a part that
 * fails a check is analysed afresh.
 */

/** `start`..`end`: where the sentence sits in the text given, trimmed. */
export type Sentence = { text: string; start: number; end: number };

const AFTER_SENTENCE_END = new RegExp(`(?<=${SENTENCE_END.source})`, 'u');
const SPACE = /\s/u;

/** A sentence end or whitespace at `at`. */
const isBreak = (text: string, at: number): boolean => {
  const ch = text[at];
  return ch !== undefined && (SENTENCE_END.test(ch) || SPACE.test(ch));
};

/** The sentences of a text: cut after each sentence end, trimmed, empty ones dropped. */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let at = 0;
  for (const piece of text.split(AFTER_SENTENCE_END)) {
    const trimmed = piece.trim();
    if (trimmed !== '') {
      const start = at + piece.length - piece.trimStart().length;
      out.push({ text: trimmed, start, end: start + trimmed.length });
    }
    at += piece.length;
  }
  return out;
}

/** The first index whose item starts at or after `offset` (items in order of start). */
function firstFrom(items: readonly { start: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as { start: number }).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The analysis of one sentence cut from the whole text's, with offsets from the sentence's start; undefined when a check fails. */
function cut(whole: Analysis, s: Sentence): Analysis | undefined {
  const { start, end } = s;
  const text = whole.text.slice(start, end);
  // The whole text was folded at once; this sentence must fold to the same characters, and meet its neighbours at a break.
  if (text !== foldForLexicon(s.text)) return undefined;
  if (start > 0 && !isBreak(whole.text, start - 1)) return undefined;
  if (end < whole.text.length && !isBreak(whole.text, end - 1) && !isBreak(whole.text, end)) return undefined;
  const first = firstFrom(whole.tokens, start);
  const tokens: Token[] = [];
  for (let i = first; i < whole.tokens.length && (whole.tokens[i] as Token).start < end; i++) {
    const t = whole.tokens[i] as Token;
    tokens.push({ word: t.word, start: t.start - start, end: t.end - start });
  }
  // No word or hit of the whole text may reach over either edge.
  if ((whole.tokens[first]?.start ?? whole.text.length) !== start || (tokens[tokens.length - 1]?.end ?? 0) !== end - start) return undefined;
  const firstHit = firstFrom(whole.hits, start);
  const before = whole.hits[firstHit - 1];
  if (before !== undefined && before.start + before.word.length > start) return undefined;
  const hits: Analysis['hits'] = [];
  for (let i = firstHit; i < whole.hits.length && (whole.hits[i] as Hit).start < end; i++) {
    const h = whole.hits[i] as Hit;
    if (h.start + h.word.length > end) return undefined;
    hits.push({ ...h, start: h.start - start });
  }
  return { text, tokens, hits };
}

/** Two analyses as one text, the second's offsets moved past the first. */
function join(a: Analysis, b: Analysis): Analysis {
  const by = a.text.length;
  return {
    text: a.text + b.text,
    tokens: [...a.tokens, ...b.tokens.map((t) => ({ word: t.word, start: t.start + by, end: t.end + by }))],
    hits: [...a.hits, ...b.hits.map((h) => ({ ...h, start: h.start + by }))],
  };
}

/** One part of a story: a sentence, or a sentence and the next one joined with nothing between. */
export type StoryText = { text: string; analysis: Analysis };

/** Each sentence alone and then with the next one, in order, with the analyses `analyse` gives them; `whole`: the analysis of the text the sentences come from. */
export function storyParts(whole: Analysis, list: readonly Sentence[]): StoryText[] {
  const cuts = list.map((s) => cut(whole, s));
  const out: StoryText[] = [];
  list.forEach((s, i) => {
    const a = cuts[i];
    out.push({ text: s.text, analysis: a ?? analyse(s.text) });
    const next = list[i + 1];
    if (next === undefined) return;
    const text = s.text + next.text;
    const b = cuts[i + 1];
    // Joined, the two meet at a break only when this one ends with a sentence end (a new line at its end was trimmed away).
    const joins = a !== undefined && b !== undefined && isBreak(a.text, a.text.length - 1) && foldForLexicon(text) === a.text + b.text;
    out.push({ text, analysis: joins ? join(a, b) : analyse(text) });
  });
  return out;
}
