import type { CategoryCode } from '../domain/categories.js';
import { polarityAt, type Polarity } from './context.js';
import { CATEGORY_LEXICON, HARDSHIP_WORDS, NEUTRAL_PHRASES } from './lexicon.js';
import { compileMatcher, type Matcher } from './matcher.js';
import { normalizeText } from './normalize.js';
import { segment, type Token } from './segment.js';
import { wordSpans } from './words.js';

/** What one phrase tells about the kind of help needed; a phrase can feed several categories and hardship at once. */
export type Term = {
  weights: (readonly [CategoryCode, number])[];
  hardship: number;
};

export type Hit = { term: Term; word: string; start: number; polarity: Polarity };

export type Analysis = { text: string; tokens: Token[]; hits: Hit[] };

const empty = (): Term => ({ weights: [], hardship: 0 });

const mergeTerms = (a: Term, b: Term): Term => ({
  weights: [...a.weights, ...b.weights],
  hardship: a.hardship + b.hardship,
});

function* entries(): Generator<readonly [string, Term]> {
  for (const [code, words] of Object.entries(CATEGORY_LEXICON) as [CategoryCode, Record<string, number>][]) {
    for (const [word, weight] of Object.entries(words)) yield [word, { ...empty(), weights: [[code, weight]] }];
  }
  for (const [word, weight] of Object.entries(HARDSHIP_WORDS)) yield [word, { ...empty(), hardship: weight }];
  for (const word of NEUTRAL_PHRASES) yield [word, empty()];
}

/**
 * A phrase also carries what the words inside it carry: "被大水冲" keeps the disaster weight
 * of "大水". Categories the phrase weighs itself are left as weighed. Neutral phrases inherit
 * nothing: hiding is their job.
 */
function withInherited(terms: Map<string, Term>, neutral: ReadonlySet<string>): Map<string, Term> {
  const out = new Map<string, Term>();
  for (const [word, term] of terms) {
    if (neutral.has(word)) {
      out.set(word, term);
      continue;
    }
    let merged = term;
    const own = new Set(term.weights.map(([code]) => code));
    const inherited = new Map<CategoryCode, number>();
    for (let i = 0; i < word.length; i++) {
      for (let j = i + 1; j <= word.length; j++) {
        const inner = j - i < word.length ? terms.get(word.slice(i, j)) : undefined;
        if (!inner) continue;
        merged = mergeTerms(merged, { weights: [], hardship: inner.hardship });
        for (const [code, weight] of inner.weights) {
          if (!own.has(code)) inherited.set(code, Math.max(weight, inherited.get(code) ?? 0));
        }
      }
    }
    merged = { ...merged, weights: [...merged.weights, ...inherited] };
    out.set(word, merged);
  }
  return out;
}

type Compiled = { match: Matcher<Term>; isWord: (word: string) => boolean };

function compile(): Compiled {
  const terms = new Map<string, Term>();
  for (const [word, term] of entries()) {
    const prev = terms.get(word);
    terms.set(word, prev ? mergeTerms(prev, term) : term);
  }
  const neutral = new Set(NEUTRAL_PHRASES);
  return { match: compileMatcher(withInherited(terms, neutral), mergeTerms, neutral), isWord: (word) => terms.has(word) };
}

let compiled: Compiled | undefined;

/**
 * Normalises once, segments into words and runs the single combined matcher on word
 * boundaries; classification reads the hits, situation frames (frames.ts) the words.
 */
export function analyse(raw: string): Analysis {
  compiled ??= compile();
  const text = normalizeText(raw);
  const tokens = segment(text);
  const fits = wordSpans(text, tokens, compiled.isWord);
  const hits = compiled.match(text, fits).map(({ start, word, value }) => ({ term: value, word, start, polarity: polarityAt(text, start) }));
  return { text, tokens, hits };
}
