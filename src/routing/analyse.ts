import type { CategoryCode } from '../domain/categories.js';
import { polarityAt, type Polarity } from './context.js';
import { CATEGORY_LEXICON, HARDSHIP_WORDS, NEUTRAL_PHRASES } from './lexicon.js';
import { compileMatcher, type Matcher } from './matcher.js';
import { foldForLexicon } from './normalize.js';
import { commonWord, segment, type Token } from './segment.js';
import { allHan, readings, soundKeys, soundOf, syllables, tokenSounds } from './sound.js';
import { wordSpans } from './words.js';

/** What one phrase tells about the kind of help needed; a phrase can feed several categories and hardship at once. */
export type Term = {
  weights: (readonly [CategoryCode, number])[];
  hardship: number;
};

/** `soundsLike`: found by sound, not by its characters (地保 heard for 低保): the lexicon word it sounds like. */
export type Hit = { term: Term; word: string; start: number; polarity: Polarity; soundsLike?: string };

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

/** Lexicon words by sound: a trie over sound keys, one syllable a step. */
type SoundNode = { next: Map<string, SoundNode>; word?: string; term?: Term };

type Compiled = { match: Matcher<Term>; isWord: (word: string) => boolean; sounds: SoundNode; startsSound: Map<string, boolean> };

/** Words matched by characters only: 他/她 are one sound (a transcript cannot say whom 打他 was about). */
const BY_CHARACTERS_ONLY = /[他她它]/u;
/**
 * Only a word that names a programme or a clear need (weight 2.5 or more), or plain hardship, is
 * worth hearing by sound: ages and counts (九十, 十四: weight 1) sound like too much (就是, 四十).
 */
const SOUND_WEIGHT = 2.5;
const worthHearing = (t: Term): boolean => t.weights.some(([, w]) => w >= SOUND_WEIGHT) || t.hardship >= 1;

/**
 * The sound trie of the lexicon: words of two or more Han characters (one character has too
 * many homophones to stand for a word) that name a programme or a clear need. Words that sound
 * alike (低保, 低宝, 底保) share a key; the first listed names it and their weights are merged.
 */
function soundTrie(terms: ReadonlyMap<string, Term>, neutral: ReadonlySet<string>): SoundNode {
  const root: SoundNode = { next: new Map() };
  for (const [word, term] of terms) {
    if (word.length < 2 || neutral.has(word) || !allHan(word) || BY_CHARACTERS_ONLY.test(word) || !worthHearing(term)) continue;
    const keys = syllables(word);
    if (keys.length !== word.length) continue;
    let node = root;
    for (const k of keys) {
      const key = soundOf(k);
      let child = node.next.get(key);
      if (!child) node.next.set(key, (child = { next: new Map() }));
      node = child;
    }
    if (node.term) node.term = { weights: mergeMax(node.term.weights, term.weights), hardship: Math.max(node.term.hardship, term.hardship) };
    else {
      node.term = term;
      node.word = word;
    }
  }
  return root;
}

/** Weights of words that sound alike, each category once at its highest weight. */
function mergeMax(a: Term['weights'], b: Term['weights']): Term['weights'] {
  const best = new Map<CategoryCode, number>();
  for (const [code, w] of [...a, ...b]) best.set(code, Math.max(w, best.get(code) ?? 0));
  return [...best];
}

function compile(): Compiled {
  const terms = new Map<string, Term>();
  for (const [word, term] of entries()) {
    const prev = terms.get(word);
    terms.set(word, prev ? mergeTerms(prev, term) : term);
  }
  const neutral = new Set(NEUTRAL_PHRASES);
  const inherited = withInherited(terms, neutral);
  return { match: compileMatcher(inherited, mergeTerms, neutral), isWord: (word) => terms.has(word), sounds: soundTrie(inherited, neutral), startsSound: new Map() };
}

/**
 * Whether a span that sounds like a lexicon word was meant as that word. Not when it is a word
 * of its own that people often write (要钱 for 药钱, 心里 for 心理, 拿到 for 拿刀: the recogniser
 * wrote what was said), nor a lexicon word (the exact matcher had its say there). Two characters
 * sound like too much by chance (就在/救灾, 躺了/瘫了), so a two-character span must keep one of the
 * word's characters in place, and not a grammatical particle such as 了 (地保/低保, 助院/住院,
 * 五宝/五保); longer spans are matched on sound alone.
 */
const PARTICLES = new Set([...'了的着过啦儿子们地得']);

function heardAs(span: string, word: string, isWord: (w: string) => boolean): boolean {
  if (isWord(span) || commonWord(span)) return false;
  if (span.length > 2) return true;
  return [0, 1].some((i) => span[i] === word[i] && !PARTICLES.has(span[i] as string));
}

/**
 * Lexicon words heard by sound where no word was found by its characters: leftmost-longest over
 * the sound keys, on the same word boundaries as exact matching, never overlapping an exact hit.
 */
/** Whether a word's first sound starts a lexicon word's sound (a lone character with several readings may). Remembered per word. */
function mayStartSound(c: Compiled, word: string): boolean {
  let may = c.startsSound.get(word);
  if (may === undefined) {
    const keys = soundKeys(word);
    may = keys.length > 0 && (c.sounds.next.has(keys[0] as string) || (word.length === 1 && readings(word) > 1));
    if (c.startsSound.size >= 50_000) c.startsSound.clear();
    c.startsSound.set(word, may);
  }
  return may;
}

function soundHits(text: string, tokens: readonly Token[], exact: readonly { start: number; end: number }[], c: Compiled, fits: (s: number, e: number) => boolean) {
  const taken = new Uint8Array(text.length);
  for (const h of exact) taken.fill(1, h.start, h.end);
  // Each word's sounds, read when a walk first reaches it (undefined: not read yet; null: none).
  const memo: (readonly string[] | null | undefined)[] = new Array(tokens.length);
  const out: { start: number; end: number; word: string; term: Term; soundsLike: string }[] = [];
  // A word heard by sound starts where a segmenter word does (不是能 does not hold 是能).
  for (let ti = 0; ti < tokens.length; ) {
    const start = (tokens[ti] as Token).start;
    // Inside an exact hit no heard word can start (the walk would stop at once).
    if (taken[start] === 1 || !mayStartSound(c, (tokens[ti] as Token).word)) {
      ti++;
      continue;
    }
    let node: SoundNode | undefined = c.sounds;
    let bestEnd = -1;
    let bestNode: SoundNode | undefined;
    walk: for (let tj = ti; tj < tokens.length; tj++) {
      let keys = memo[tj];
      if (keys === undefined) memo[tj] = keys = tokenSounds(tokens, tj);
      if (keys === null) break;
      const from = (tokens[tj] as Token).start;
      for (let x = 0; x < keys.length; x++) {
        if (taken[from + x] === 1) break walk;
        node = node.next.get(keys[x] as string);
        if (node === undefined) break walk;
        if (node.term !== undefined && from + x + 1 - start >= 2 && fits(start, from + x + 1)) {
          bestEnd = from + x + 1;
          bestNode = node;
        }
      }
    }
    const word = bestNode ? text.slice(start, bestEnd) : '';
    if (bestNode?.term && bestNode.word && heardAs(word, bestNode.word, c.isWord)) {
      out.push({ start, end: bestEnd, word, term: bestNode.term, soundsLike: bestNode.word });
      while (ti < tokens.length && (tokens[ti] as Token).start < bestEnd) ti++;
    } else ti++;
  }
  return out;
}

let compiled: Compiled | undefined;

/**
 * Normalises once, segments into words and runs the single combined matcher on word
 * boundaries, then finds by sound the lexicon words a recogniser wrote with other characters;
 * classification reads the hits, situation frames (frames.ts) the words.
 */
export function analyse(raw: string): Analysis {
  compiled ??= compile();
  const text = foldForLexicon(raw);
  const tokens = segment(text);
  const fits = wordSpans(text, tokens, compiled.isWord);
  const exact = compiled.match(text, fits);
  const hits: Hit[] = exact.map(({ start, word, value }) => ({ term: value, word, start, polarity: polarityAt(text, start) }));
  const heard = soundHits(text, tokens, exact, compiled, fits);
  if (heard.length === 0) return { text, tokens, hits };
  for (const h of heard) hits.push({ term: h.term, word: h.word, start: h.start, polarity: polarityAt(text, h.start), soundsLike: h.soundsLike });
  hits.sort((a, b) => a.start - b.start);
  return { text, tokens, hits };
}
