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
