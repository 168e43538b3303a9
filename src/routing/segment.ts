import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Word segmentation with jieba (@node-rs/jieba, its bundled dictionary) plus the domain
 * user dictionary data/routing/userdict.txt (programme names such as 低保 and 两项补贴,
 * the county's townships). Text is expected normalised (simplified, half-width).
 *
 * The native package loads once, on first use (about 0.2 s for the dictionary). If it
 * cannot load on some platform, `segment` falls back to one token per character and says
 * so once: matching then behaves as plain substring matching, never throws.
 */

export type Token = { word: string; start: number; end: number };

type Cutter = (text: string) => string[];

const USER_DICT = new URL('../../data/routing/userdict.txt', import.meta.url);

/** The user dictionary without its comment lines, as jieba reads it ("word freq tag"). */
export function userDictionary(): string {
  return readFileSync(USER_DICT, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .join('\n');
}

let cutter: Cutter | undefined;
let fallback = false;

function load(): Cutter {
  try {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    const jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(userDictionary(), 'utf8'));
    // HMM off: unknown runs stay single characters instead of being glued into guessed
    // words ("给我发"), which would hide real words inside them.
    return (text) => jieba.cut(text, false);
  } catch (error) {
    fallback = true;
    console.warn(`routing: segmenter unavailable (${error instanceof Error ? error.message.split('\n')[0] : 'unknown'}); matching on characters`);
    return (text) => [...text];
  }
}

/**
 * A word people write often enough that a recogniser writing it meant it: in jieba's bundled
 * dictionary at or above this frequency (要钱 356, 心里 10571; 地保 20 and 五包 4 are not).
 */
const COMMON_FREQUENCY = 100;
let common: Set<string> | undefined;

export function commonWord(word: string): boolean {
  if (!common) {
    common = new Set();
    try {
      const require = createRequire(import.meta.url);
      const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
      for (const line of Buffer.from(dict).toString('utf8').split('\n')) {
        const [w, f] = line.split(' ');
        // Only words short enough to be a sound match's span are kept.
        if (w !== undefined && w.length >= 2 && w.length <= 6 && Number(f) >= COMMON_FREQUENCY) common.add(w);
      }
    } catch {
      // Without the dictionary no word counts as common; sound matching is then only less careful.
    }
  }
  return common.has(word);
}

/** True once the segmenter failed to load and characters stand in for words. */
export function segmenterFallback(): boolean {
  cutter ??= load();
  return fallback;
}

/** The words of a text with their offsets (UTF-16, as String#slice counts). */
export function segment(text: string): Token[] {
  if (text.length === 0) return [];
  cutter ??= load();
  const out: Token[] = [];
  let at = 0;
  for (const word of cutter(text)) {
    out.push({ word, start: at, end: at + word.length });
    at += word.length;
  }
  // jieba returns the whole text; if it ever did not, keep offsets honest with one last token.
  if (at < text.length) out.push({ word: text.slice(at), start: at, end: text.length });
  return out;
}
