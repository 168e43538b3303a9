import type { CategoryCode } from '../domain/categories.js';
import { polarityAt, type Polarity } from './context.js';
import { CATEGORY_LEXICON, HARDSHIP_WORDS, NEUTRAL_PHRASES } from './lexicon.js';
import { compileMatcher, type Matcher } from './matcher.js';
import { normalizeText } from './normalize.js';
import { CUE_WORDS, SIGNAL_WORDS, type CueKind, type SignalKind } from './signals.js';

/** Everything one phrase tells us; a phrase can feed categories, hardship, a signal and cues at once. */
export type Term = {
  weights: (readonly [CategoryCode, number])[];
  hardship: number;
  signals: SignalKind[];
  cues: CueKind[];
};

export type Hit = { term: Term; word: string; start: number; polarity: Polarity };

export type Analysis = { text: string; hits: Hit[] };

const empty = (): Term => ({ weights: [], hardship: 0, signals: [], cues: [] });

const mergeTerms = (a: Term, b: Term): Term => ({
  weights: [...a.weights, ...b.weights],
  hardship: a.hardship + b.hardship,
  signals: [...new Set([...a.signals, ...b.signals])],
  cues: [...new Set([...a.cues, ...b.cues])],
});

function* entries(): Generator<readonly [string, Term]> {
  for (const [code, words] of Object.entries(CATEGORY_LEXICON) as [CategoryCode, Record<string, number>][]) {
    for (const [word, weight] of Object.entries(words)) yield [word, { ...empty(), weights: [[code, weight]] }];
  }
  for (const [word, weight] of Object.entries(HARDSHIP_WORDS)) yield [word, { ...empty(), hardship: weight }];
  for (const [kind, words] of Object.entries(SIGNAL_WORDS) as [SignalKind, readonly string[]][]) {
    for (const word of words) yield [word, { ...empty(), signals: [kind] }];
  }
  for (const [kind, words] of Object.entries(CUE_WORDS) as [CueKind, readonly string[]][]) {
    for (const word of words) yield [word, { ...empty(), cues: [kind] }];
  }
  for (const word of NEUTRAL_PHRASES) yield [word, empty()];
}

/**
 * A phrase also carries what the words inside it carry: "房子快塌了" keeps the collapse
 * signal of "快塌", "被大水冲" keeps the disaster weight of "大水". Categories the phrase
 * weighs itself are left as weighed. Neutral phrases inherit nothing: hiding is their job.
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
        merged = mergeTerms(merged, { ...inner, weights: [] });
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

function compile(): Matcher<Term> {
  const terms = new Map<string, Term>();
  for (const [word, term] of entries()) {
    const prev = terms.get(word);
    terms.set(word, prev ? mergeTerms(prev, term) : term);
  }
  const neutral = new Set(NEUTRAL_PHRASES);
  return compileMatcher(withInherited(terms, neutral), mergeTerms, neutral);
}

let matcher: Matcher<Term> | undefined;

/** Normalises once and runs the single combined matcher; classification and urgency both read the result. */
export function analyse(raw: string): Analysis {
  matcher ??= compile();
  const text = normalizeText(raw);
  const hits = matcher(text).map(({ start, word, value }) => ({ term: value, word, start, polarity: polarityAt(text, start) }));
  return { text, hits };
}
