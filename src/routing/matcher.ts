import { codeTrie, NONE, ROOT } from './code-trie.js';

/**
 * One precompiled keyword matcher (a character trie, code-trie.ts) scanned leftmost-longest:
 * at each position the longest known phrase wins and the scan continues after it.
 * An optional `fits(start, end)` says which spans may match at all: routing passes
 * the word-boundary check (words.ts), so "打" is not found inside "打工".
 * Harmless phrases also block a match they overlap from the right: in "男人打零工"
 * the phrase "打零工" keeps "男人打" from matching.
 */

export type Match<T> = { start: number; end: number; word: string; value: T };

export type SpanCheck = (start: number, end: number) => boolean;

export type Matcher<T> = (text: string, fits?: SpanCheck) => Match<T>[];

const anywhere: SpanCheck = () => true;

export function compileMatcher<T>(entries: Iterable<readonly [string, T]>, merge: (a: T, b: T) => T, blocking: ReadonlySet<string> = new Set()): Matcher<T> {
  const byWord = new Map<string, T>();
  for (const [word, value] of entries) {
    if (word.length === 0) continue;
    const prev = byWord.get(word);
    byWord.set(word, prev === undefined ? value : merge(prev, value));
  }
  const known = [...byWord].filter(([, value]) => value !== undefined);
  const values = known.map(([, value]) => value);
  const blocks = known.map(([word]) => blocking.has(word));
  // Only where a blocking phrase starts can the longest entry there be one.
  const blockStarts = new Set(known.filter(([word]) => blocking.has(word)).map(([word]) => word.charCodeAt(0)));
  // Each node holds the index of the entry ending there.
  const trie = codeTrie(known.map(([word], i) => [Array.from({ length: word.length }, (_, k) => word.charCodeAt(k)), i] as const));
  // A bit per code unit that starts an entry: most characters of a text start none, and are passed over without a look-up.
  const starts = new Uint32Array(0x10000 / 32);
  for (const [word] of known) {
    const code = word.charCodeAt(0);
    starts[code >>> 5] = (starts[code >>> 5] as number) | (1 << (code & 31));
  }
  const startsEntry = (code: number): boolean => (((starts[code >>> 5] as number) >>> (code & 31)) & 1) === 1;

  /** The end of the longest entry starting at `from` whose span fits, or -1; `found` is then that entry. */
  let found = -1;
  const longestAt = (text: string, from: number, fits: SpanCheck): number => {
    let node = ROOT;
    let end = -1;
    for (let j = from; j < text.length; j++) {
      node = trie.child(node, text.charCodeAt(j));
      if (node === NONE) break;
      const entry = trie.valueAt(node);
      if (entry >= 0 && fits(from, j + 1)) {
        end = j + 1;
        found = entry;
      }
    }
    return end;
  };

  const blockedFrom = (text: string, start: number, end: number, fits: SpanCheck): boolean => {
    for (let j = start + 1; j < end; j++) {
      if (!blockStarts.has(text.charCodeAt(j))) continue;
      const innerEnd = longestAt(text, j, fits);
      if (innerEnd > end && blocks[found] === true) return true;
    }
    return false;
  };

  return (text, fits = anywhere) => {
    const out: Match<T>[] = [];
    let i = 0;
    while (i < text.length) {
      if (!startsEntry(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const end = longestAt(text, i, fits);
      const entry = found;
      if (end >= 0 && !blockedFrom(text, i, end, fits)) {
        out.push({ start: i, end, word: text.slice(i, end), value: values[entry] as T });
        i = end;
      } else {
        i++;
      }
    }
    return out;
  };
}
