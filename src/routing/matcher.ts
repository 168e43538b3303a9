/**
 * One precompiled keyword matcher (a character trie) scanned leftmost-longest:
 * at each position the longest known phrase wins and the scan continues after it.
 * An optional `fits(start, end)` says which spans may match at all: routing passes
 * the word-boundary check (words.ts), so "打" is not found inside "打工".
 * Harmless phrases also block a match they overlap from the right: in "男人打零工"
 * the phrase "打零工" keeps "男人打" from matching.
 */

type TrieNode<T> = { next: Map<number, TrieNode<T>>; value?: T; blocks?: true };

export type Match<T> = { start: number; end: number; word: string; value: T };

export type SpanCheck = (start: number, end: number) => boolean;

export type Matcher<T> = (text: string, fits?: SpanCheck) => Match<T>[];

const anywhere: SpanCheck = () => true;

/** Longest entry starting at `from` whose span fits: its end and node, or end -1. */
function longestAt<T>(root: TrieNode<T>, text: string, from: number, fits: SpanCheck): { end: number; node?: TrieNode<T> } {
  let node: TrieNode<T> | undefined = root;
  let best: { end: number; node?: TrieNode<T> } = { end: -1 };
  for (let j = from; j < text.length; j++) {
    node = node.next.get(text.charCodeAt(j));
    if (!node) break;
    if (node.value !== undefined && fits(from, j + 1)) best = { end: j + 1, node };
  }
  return best;
}

export function compileMatcher<T>(entries: Iterable<readonly [string, T]>, merge: (a: T, b: T) => T, blocking: ReadonlySet<string> = new Set()): Matcher<T> {
  const root: TrieNode<T> = { next: new Map() };
  for (const [word, value] of entries) {
    if (word.length === 0) continue;
    let node = root;
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      let child = node.next.get(code);
      if (!child) {
        child = { next: new Map() };
        node.next.set(code, child);
      }
      node = child;
    }
    node.value = node.value === undefined ? value : merge(node.value, value);
    if (blocking.has(word)) node.blocks = true;
  }

  const blockedFrom = (text: string, start: number, end: number, fits: SpanCheck): boolean => {
    for (let j = start + 1; j < end; j++) {
      const inner = longestAt(root, text, j, fits);
      if (inner.node?.blocks && inner.end > end) return true;
    }
    return false;
  };

  return (text, fits = anywhere) => {
    const out: Match<T>[] = [];
    let i = 0;
    while (i < text.length) {
      const { end, node } = longestAt(root, text, i, fits);
      if (node?.value !== undefined && !blockedFrom(text, i, end, fits)) {
        out.push({ start: i, end, word: text.slice(i, end), value: node.value });
        i = end;
      } else {
        i++;
      }
    }
    return out;
  };
}
