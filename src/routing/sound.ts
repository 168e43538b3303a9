import { pinyin, polyphonic } from 'pinyin-pro';
import type { Token } from './segment.js';

/**
 * How words sound, for voice transcripts: a recogniser writes the right sound with the wrong
 * characters (地保 for 低保, 蚕鸡 for 残疾, 五包 for 五保, 助院 for 住院). Syllables are read per
 * segmenter word, so a character with several readings gets the one its word gives it, and are
 * remembered: words repeat across messages, and pinyin-pro is the costly part.
 *
 * A sound key folds what a recogniser hearing Shandong-accented Mandarin mixes up: tones,
 * retroflex and flat initials (zh/z, ch/c, sh/s), n/l, and front/back nasals (in/ing, en/eng).
 * (The same idea as the dialog's place matching, kept here so routing stands on its own.)
 */

const HAN = /\p{Script=Han}/u;
const cache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 50_000;

/** Toneless pinyin of each Han character of a word, in order (other characters give none). */
export function syllables(word: string): readonly string[] {
  let s = cache.get(word);
  if (!s) {
    s = HAN.test(word) ? pinyin(word, { toneType: 'none', type: 'array' }).filter((p, i) => HAN.test(word[i] ?? '') && p !== '') : [];
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, s);
  }
  return s;
}

/** One syllable as the recogniser may have heard it. */
export function soundOf(syllable: string): string {
  return syllable.replace(/^zh/, 'z').replace(/^ch/, 'c').replace(/^sh/, 's').replace(/^n/, 'l').replace(/ng$/, 'n');
}

/**
 * What sound matching reads of a word, remembered in one place as every word of every text is
 * read: whether it holds a Han character, the sound keys of its characters (folding is five
 * replacements a syllable), and, for a lone character, whether it has several readings.
 */
type WordSound = { han: boolean; keys: readonly string[]; many: boolean };
const soundCache = new Map<string, WordSound>();

function wordSound(word: string): WordSound {
  let w = soundCache.get(word);
  if (!w) {
    const han = HAN.test(word);
    w = { han, keys: syllables(word).map(soundOf), many: han && word.length === 1 && readings(word) > 1 };
    if (soundCache.size >= CACHE_LIMIT) soundCache.clear();
    soundCache.set(word, w);
  }
  return w;
}

/** Sound keys of a word's characters (Han ones only). */
export const soundKeys = (word: string): readonly string[] => wordSound(word).keys;

/** How many toneless readings a character has (了: le, liao → 2), remembered. */
const readingCount = new Map<string, number>();

export function readings(ch: string): number {
  let m = readingCount.get(ch);
  if (m === undefined) {
    m = new Set(polyphonic(ch, { toneType: 'none', type: 'array' })[0] ?? []).size;
    if (readingCount.size >= CACHE_LIMIT) readingCount.clear();
    readingCount.set(ch, m);
  }
  return m;
}

/** True when every character of the word is Han: only such words have a sound to match. */
export const allHan = (word: string): boolean => [...word].every((c) => HAN.test(c));

/**
 * The sound keys of one segmenter word of a text, one per character, or null when the word is
 * not all Han (or pinyin-pro could not read it one to one). A character standing alone with
 * several readings is read in the context of the word before it: 了 alone reads liao, 化了 hua le.
 */
export function tokenSounds(tokens: readonly Token[], at: number): readonly string[] | null {
  const t = tokens[at] as Token;
  const w = wordSound(t.word);
  if (!w.han) return null;
  let s = w.keys;
  const before = tokens[at - 1];
  if (w.many && before !== undefined && before.end === t.start && wordSound(before.word).han) {
    const pair = soundKeys(before.word + t.word);
    if (pair.length === before.word.length + 1) s = pair.slice(-1);
  }
  return s.length === t.word.length ? s : null;
}
