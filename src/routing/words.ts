import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SpanCheck } from './matcher.js';
import type { Token } from './segment.js';

/**
 * Word boundaries for lexicon matching. A lexicon word must start and end where the
 * segmenter's words do, with two readings of a longer word allowed (data/routing/boundaries.json):
 * - it may end inside a word when what follows is a bound suffix (老伴|儿, 七十|多), more
 *   numerals (八十|五), or another lexicon word (爷爷|奶奶);
 * - it may start inside a word as the head of a compound (肺|癌, 汽车|站, 冲塌|了), unless a
 *   numeral comes before it (二十五岁 holds 十五岁 but says 25) or it starts with a negation
 *   (看不见了 does not hold 不见了).
 * So 打 is not found in 打工, 十五岁 not in 二十五岁, 老公 not in 老公公.
 */

const Boundaries = z.object({ numerals: z.string(), numberTail: z.string(), suffixes: z.array(z.string()), negationStarts: z.string() });

let data: { numerals: Set<number>; numberTail: Set<number>; suffixes: Set<string>; negations: Set<number> } | undefined;

function rules(): NonNullable<typeof data> {
  if (!data) {
    const file = Boundaries.parse(JSON.parse(readFileSync(new URL('../../data/routing/boundaries.json', import.meta.url), 'utf8')));
    const codes = (chars: string): Set<number> => new Set([...chars].map((c) => c.charCodeAt(0)));
    data = { numerals: codes(file.numerals), numberTail: codes(file.numberTail), suffixes: new Set(file.suffixes), negations: codes(file.negationStarts) };
  }
  return data;
}

/**
 * One text's words for the span check: for each character the end of the word holding it, and
 * where words start. The checks below are plain functions over it, not closures made per text.
 */
type Spans = { text: string; wordEnd: Int32Array; startsWord: Uint8Array; isWord: (word: string) => boolean; rules: NonNullable<typeof data> };

const numeralAt = (s: Spans, at: number): boolean => s.rules.numerals.has(s.text.charCodeAt(at));

// Inside a word only as its head, after no numeral: the match ends in that word, or goes on
// only over whole suffix words (冲塌|了 holds 塌了; 我家|暴雨 does not hold 家暴雨).
function startFits(s: Spans, start: number, end: number): boolean {
  if (s.startsWord[start] === 1) return true;
  if (numeralAt(s, start - 1) || s.rules.negations.has(s.text.charCodeAt(start))) return false;
  for (let at = s.wordEnd[start] as number; at < end; ) {
    const next = s.wordEnd[at] as number;
    if (next > end || !s.rules.suffixes.has(s.text.slice(at, next))) return false;
    at = next;
  }
  return true;
}

function endFits(s: Spans, end: number): boolean {
  if (s.startsWord[end] === 1) return true;
  const rest = s.text.slice(end, s.wordEnd[end]);
  if (s.rules.suffixes.has(rest) || s.isWord(rest)) return true;
  if (!numeralAt(s, end - 1)) return false;
  // 八十|五, 七十|多岁, 十五|六岁: the number goes on.
  for (let i = 0; i < rest.length; i++) if (!s.rules.numberTail.has(rest.charCodeAt(i))) return false;
  return true;
}

/** A span check for `compileMatcher` over one text and its segmentation. */
export function wordSpans(text: string, tokens: readonly Token[], isWord: (word: string) => boolean): SpanCheck {
  // For each character, the end of the word holding it; -1 before the first character of a word.
  const wordEnd = new Int32Array(text.length);
  const startsWord = new Uint8Array(text.length + 1);
  startsWord[text.length] = 1;
  for (const t of tokens) {
    startsWord[t.start] = 1;
    for (let i = t.start; i < t.end; i++) wordEnd[i] = t.end;
  }
  const spans: Spans = { text, wordEnd, startsWord, isWord, rules: rules() };
  return (start, end) => startFits(spans, start, end) && endFits(spans, end);
}
