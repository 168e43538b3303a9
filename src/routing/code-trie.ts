/**
 * A trie over character codes in one flat typed array: an open-addressing table from (node, code)
 * to the next node, each entry holding its node's number (what the trie's user stores there: a
 * model row, an entry's index). The routing tries are walked from every character of every text;
 * a step here reads about one cache line, where a Map per node chases several pointers.
 */

export type CodeTrie = {
  /** The node reached from `node` by `code`, or NONE. */
  child(node: number, code: number): number;
  /** The number stored at a node (-1 where no path ends). */
  valueAt(node: number): number;
};

/** The root; no child is ever the root, so 0 also says "no such node". */
export const ROOT = 0;
export const NONE = 0;

/** An entry is four numbers: the parent node (EMPTY for a free slot), the code, the value, unused (so entries sit evenly in cache lines). */
const STRIDE = 4;
const EMPTY = -1;

/** Paths of codes, each with a value (a later path with the same codes overwrites it). Nodes are numbered by their slot plus one. */
export function codeTrie(paths: readonly (readonly [readonly number[], number])[]): CodeTrie {
  const prefixes = new Set<string>();
  for (const [path] of paths) for (let n = 1; n <= path.length; n++) prefixes.add(path.slice(0, n).join(','));
  // At most half full.
  let size = 1;
  while (size < 2 * prefixes.size) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size * STRIDE);
  for (let s = 0; s < size; s++) table[s * STRIDE] = EMPTY;

  /** The slot of (parent, code), or the free slot where it would go. */
  const slot = (parent: number, code: number): number => {
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const at = h * STRIDE;
      const p = table[at] as number;
      if (p === EMPTY || (p === parent && table[at + 1] === code)) return h;
      h = (h + 1) & mask;
    }
  };
  for (const [path, value] of paths) {
    let node = ROOT;
    for (const code of path) {
      const at = slot(node, code) * STRIDE;
      if (table[at] === EMPTY) {
        table[at] = node;
        table[at + 1] = code;
        table[at + 2] = -1;
      }
      node = at / STRIDE + 1;
    }
    if (node !== ROOT) table[(node - 1) * STRIDE + 2] = value;
  }

  return {
    child(node, code) {
      const s = slot(node, code);
      return table[s * STRIDE] === EMPTY ? NONE : s + 1;
    },
    valueAt: (node) => table[(node - 1) * STRIDE + 2] as number,
  };
}
