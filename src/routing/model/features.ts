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

/** One word's own features (`w…`, its pinyin unigrams and the bigrams inside it) and its first and last syllable, remembered. */
type WordGrams = { features: readonly string[]; first?: string; last?: string };
const wordCache = new Map<string, WordGrams | null>();
const WORD_CACHE_LIMIT = 50_000;

function wordGrams(word: string): WordGrams | null {
  let w = wordCache.get(word);
  if (w !== undefined) return w;
  if (SKIP.test(word)) w = null;
  else {
    const s = syllables(word);
    const features = [`w${word}`];
    for (let i = 0; i < s.length; i++) {
      features.push(`p${s[i] as string}`);
      if (i > 0) features.push(`p${s[i - 1] as string}_${s[i] as string}`);
    }
    w = { features, ...(s.length > 0 ? { first: s[0] as string, last: s[s.length - 1] as string } : {}) };
  }
  if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
  wordCache.set(word, w);
  return w;
}

/**
 * Every feature but the character n-grams (words, pinyin, frames), each passed to `take`, in
 * order of first appearance; a feature may come more than once. The model counts them without
 * building a set.
 */
export function forEachWordFeature(input: FeatureInput, take: (feature: string) => void): void {
  const { analysis, frames } = input;
  let prev: string | undefined;
  for (const token of analysis.tokens) {
    if (token.start >= MAX_CHARS) break;
    const w = wordGrams(token.word);
    if (!w) continue;
    for (const f of w.features) take(f);
    // The pinyin bigram across the word boundary.
    if (prev !== undefined && w.first !== undefined) take(`p${prev}_${w.first}`);
    if (w.last !== undefined) prev = w.last;
  }
  for (const f of frames.findings) {
    take(`f${f.kind}:${f.reading}`);
    if (f.why) take(`f${f.kind}:${f.reading}:${f.why}`);
    take(`f*:${f.reading}${f.why ? `:${f.why}` : ''}`);
  }
  for (const frame of frames.frames) {
    for (const [mark, on] of Object.entries(frame.time)) if (on) take(`t${mark}`);
    for (const m of frame.modality) take(`m${m}`);
    if (frame.who && !frame.who.carried) take(`o${frame.who.who}`);
  }
  personFeatures(frames, take);
}

/** All features of a text, as training reads them (model.ts counts the same without building their names). */
export function features(raw: string, input: FeatureInput = featureInput(raw)): Set<string> {
  const out = new Set<string>();
  const add = (f: string): void => void out.add(f);
  forEachGram(gramText(input), (gram) => add(`c${gram}`));
  forEachWordFeature(input, add);
  return out;
}
