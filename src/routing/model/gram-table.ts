import { codeTrie, NONE, ROOT } from '../code-trie.js';

/**
 * The model's character n-grams (`c…` features) as a trie over code points (code-trie.ts), each
 * node holding its gram's row. Looking a gram up builds no string, where a Map of strings hashes a
 * new string for each of the hundreds of grams a text has.
 */

export type GramTable = {
  /** The rows of the 1–3-grams of `text` as `forEachGram` reads them (within runs between spaces), each passed to `take` once per occurrence. */
  forEachRow(text: string, take: (row: number) => void): void;
};

const SPACE = 0x20;

const codeUnits = (point: number): number => (point > 0xffff ? 2 : 1);

export function gramTable(index: ReadonlyMap<string, number>): GramTable {
  const grams: [number[], number][] = [];
  for (const [f, row] of index) {
    if (!f.startsWith('c')) continue;
    const points = Array.from(f.slice(1), (c) => c.codePointAt(0) as number);
    // forEachGram gives 1–3 characters: a longer entry is never looked up.
    if (points.length > 0 && points.length <= 3) grams.push([points, row]);
  }
  const trie = codeTrie(grams);
  const child = (node: number, point: number): number => (point === SPACE ? NONE : trie.child(node, point));

  return {
    forEachRow(text, take) {
      for (let i = 0; i < text.length; ) {
        const a = text.codePointAt(i) as number;
        const j = i + codeUnits(a);
        i = j;
        const one = child(ROOT, a);
        if (one === NONE) continue;
        if (trie.valueAt(one) >= 0) take(trie.valueAt(one));
        if (j >= text.length) continue;
        const b = text.codePointAt(j) as number;
        const two = child(one, b);
        if (two === NONE) continue;
        if (trie.valueAt(two) >= 0) take(trie.valueAt(two));
        const k = j + codeUnits(b);
        if (k >= text.length) continue;
        const three = child(two, text.codePointAt(k) as number);
        if (three !== NONE && trie.valueAt(three) >= 0) take(trie.valueAt(three));
      }
    },
  };
}
