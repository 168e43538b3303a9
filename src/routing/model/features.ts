import { analyse, type Analysis } from '../analyse.js';
import { readFrames, type FrameReading } from '../frames.js';
import { personFeatures } from '../person.js';
import { syllables } from '../sound.js';

/**
 * Features of a text for the learned router:
 * - `c…` character 1–3-grams of the normalised text (simplified, half-width);
 * - `p…` toneless pinyin 1–2-grams, so a recogniser's homophones (地保/低保, 蚕鸡/残疾) look alike;
 * - `w…` the segmenter's words, so 打工 and 打 are different things;
 * - `f…` what the situation frames read: each state with its reading (`ffire:holds`,
 *   `fviolence:doubtful:policy`), the time and modality markers (`tnow`, `mpolicy`) and who
 *   (`owchild`), and whose need it is (person.ts): traits told (`ayouth`) and each situation with
 *   the person it is about (`swoman:violence`, `selder:alone`). These let the model weigh a rule's
 *   reading against everything else it saw.
 */

/** Long stories are cut: the features of 600 characters are enough, and the cost stays bounded. */
const MAX_CHARS = 600;
const SKIP = /^[\s\p{P}\p{S}]+$/u;

export type FeatureInput = { analysis: Analysis; frames: FrameReading };

/** Analysis and frames of a text, cut to the length the features read. */
export function featureInput(raw: string): FeatureInput {
  const analysis = analyse(raw.length > MAX_CHARS ? raw.slice(0, MAX_CHARS) : raw);
  return { analysis, frames: readFrames(analysis) };
}

/** The characters the n-grams are read from: normalised, cut, punctuation and spaces as one space. */
export function gramText(input: FeatureInput): string {
  const text = input.analysis.text.length > MAX_CHARS ? input.analysis.text.slice(0, MAX_CHARS) : input.analysis.text;
  return text.replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
}

/** Character 1–3-grams within runs between spaces, each passed to `take` once per occurrence. */
export function forEachGram(text: string, take: (gram: string) => void): void {
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const a = chars[i] as string;
    if (a === ' ') continue;
    take(a);
    const b = chars[i + 1];
    if (b === undefined || b === ' ') continue;
    take(a + b);
    const c = chars[i + 2];
    if (c !== undefined && c !== ' ') take(a + b + c);
  }
}

/** The features of one word: `w…`, its pinyin unigrams and the bigrams inside it. */
function ownFeatures(word: string, syllables: readonly string[]): readonly string[] {
  const out = [`w${word}`];
  for (let i = 0; i < syllables.length; i++) {
    out.push(`p${syllables[i] as string}`);
    if (i > 0) out.push(`p${syllables[i - 1] as string}_${syllables[i] as string}`);
  }
  return out;
}

/** `make`, remembered per key. */
function remembered<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let v = made.get(key);
    if (v === undefined) made.set(key, (v = make(key)));
    return v;
  };
}

/** What a reader remembers of a word: what it made of the word's own features, its first and last syllable, and what it made of the bigram into it after each syllable heard before it. */
type WordEntry<R> = { own: R; first: string | undefined; last: string | undefined; after: Map<string, R> };
const WORD_CACHE_LIMIT = 50_000;

/** Reads one text's features other than the character n-grams, passing on what `make` made of each list of them. */
export type WordFeatureReader<R> = (input: FeatureInput, take: (made: R) => void) => void;

/**
 * Every feature but the character n-grams (words, pinyin, frames), in lists in order of first
 * appearance (a feature may come more than once), each list turned by `make` into what the user
 * needs (training: the names; the model: their rows). What was made is remembered per word, per
 * pinyin bigram across two words and per frame reading, so reading a text costs about one look-up
 * a word, and the model builds no names.
 */
export function wordFeatureReader<R>(make: (features: readonly string[]) => R): WordFeatureReader<R> {
  const words = new Map<string, WordEntry<R> | null>();
  const entry = (word: string): WordEntry<R> | null => {
    let w = words.get(word);
    if (w !== undefined) return w;
    if (SKIP.test(word)) w = null;
    else {
      const s = syllables(word);
      w = { own: make(ownFeatures(word, s)), first: s[0], last: s[s.length - 1], after: new Map() };
    }
    if (words.size >= WORD_CACHE_LIMIT) words.clear();
    words.set(word, w);
    return w;
  };
  const bigramInto = (w: WordEntry<R>, first: string, prev: string): R => {
    let made = w.after.get(prev);
    if (made === undefined) w.after.set(prev, (made = make([`p${prev}_${first}`])));
    return made;
  };
  // `ffire:holds`, `fviolence:doubtful:policy`, `f*:doubtful:policy`; why '' for none.
  const finding = remembered((kind: string) =>
    remembered((reading: string) =>
      remembered((why: string) => make([`f${kind}:${reading}`, ...(why ? [`f${kind}:${reading}:${why}`] : []), `f*:${reading}${why ? `:${why}` : ''}`])),
    ),
  );
  const time = remembered((name: string) => make([`t${name}`]));
  const modality = remembered((name: string) => make([`m${name}`]));
  const who = remembered((name: string) => make([`o${name}`]));
  // person.ts passes each of its features as the same list every time.
  const person = remembered(make);

  return (input, take) => {
    const { analysis, frames } = input;
    let prev: string | undefined;
    for (const token of analysis.tokens) {
      if (token.start >= MAX_CHARS) break;
      const w = entry(token.word);
      if (!w) continue;
      take(w.own);
      // The pinyin bigram across the word boundary.
      if (prev !== undefined && w.first !== undefined) take(bigramInto(w, w.first, prev));
      if (w.last !== undefined) prev = w.last;
    }
    for (const f of frames.findings) take(finding(f.kind)(f.reading)(f.why ?? ''));
    for (const frame of frames.frames) {
      for (const name in frame.time) if (frame.time[name as keyof typeof frame.time]) take(time(name));
      for (const m of frame.modality) take(modality(m));
      if (frame.who && !frame.who.carried) take(who(frame.who.who));
    }
    personFeatures(frames, (list) => take(person(list)));
  };
}

const readNames = wordFeatureReader((names) => names);

/** All features of a text, as training reads them (model.ts counts the same without building them). */
export function features(raw: string, input: FeatureInput = featureInput(raw)): Set<string> {
  const out = new Set<string>();
  forEachGram(gramText(input), (gram) => out.add(`c${gram}`));
  readNames(input, (names) => {
    for (const f of names) out.add(f);
  });
  return out;
}
