import { analyse } from './analyse.js';
import type { EvalLine } from './eval.js';
import { frameWords, namedLists, type FrameWords } from './frame-words.js';
import { readFrames } from './frames.js';
import { wordSpans } from './words.js';

/**
 * How each word list of the situation frames does on a labelled corpus: on how many lines
 * a word of the list is found (on word boundaries), the share of those lines that are
 * urgent, and for state lists how often the frames made it hold and how precise that was.
 * A list added to pass one example shows up here as one hit; a list that fires on calm
 * lines as low precision.
 */

export type ListScore = {
  name: string;
  words: number;
  /** Lines where a word of the list is found. */
  lines: number;
  /** Share of those lines labelled urgent. */
  urgentShare: number;
  /** State lists only: lines where a mention from this list held, and the share of those that are urgent. */
  held?: number;
  heldPrecision?: number;
  /** Words of the list found on no line. */
  unused: string[];
};

export function scoreWordLists(lines: readonly EvalLine[], words: FrameWords = frameWords()): ListScore[] {
  const lists = namedLists(words.file);
  const hitLines = new Map<string, Set<number>>();
  const heldLines = new Map<string, Set<number>>();
  const used = new Set<string>();
  const note = (map: Map<string, Set<number>>, key: string, i: number) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(i);
  };
  // Which list a word came from: a word may sit in several.
  const listsOf = new Map<string, string[]>();
  for (const list of lists) for (const w of list.words) listsOf.set(w, [...(listsOf.get(w) ?? []), list.name]);

  lines.forEach((line, i) => {
    const analysis = analyse(line.text);
    for (const hit of words.match(analysis.text, wordSpans(analysis.text, analysis.tokens, words.has))) {
      used.add(hit.word);
      for (const name of listsOf.get(hit.word) ?? []) note(hitLines, name, i);
    }
    for (const f of readFrames(analysis, words).findings) {
      if (f.reading !== 'holds') continue;
      for (const name of listsOf.get(f.mention.word) ?? []) {
        if (name.startsWith(`state:${f.kind}`) || name.startsWith(`cue:${f.kind}#`)) note(heldLines, name, i);
      }
    }
  });

  const urgentShare = (set: Set<number> | undefined) => {
    if (!set || set.size === 0) return 0;
    let u = 0;
    for (const i of set) if (lines[i]?.urgent) u++;
    return u / set.size;
  };
  return lists.map((list) => {
    const hits = hitLines.get(list.name);
    const held = heldLines.get(list.name);
    const isState = list.role.type === 'state';
    return {
      name: list.name,
      words: list.words.length,
      lines: hits?.size ?? 0,
      urgentShare: urgentShare(hits),
      ...(isState ? { held: held?.size ?? 0, heldPrecision: urgentShare(held) } : {}),
      unused: list.words.filter((w) => !used.has(w)),
    };
  });
}

export function formatWordScores(scores: readonly ListScore[], total: number): string {
  const out = [
    `word lists on ${total} lines (lines with a hit, share urgent; for states: lines where it held, precision; words never found)`,
  ];
  for (const s of scores) {
    const held = s.held !== undefined ? `  held ${String(s.held).padStart(4)} @ ${(s.heldPrecision ?? 0).toFixed(2)}` : ''.padEnd(16);
    const unused = s.unused.length > 0 ? `  unused ${s.unused.length}/${s.words}: ${s.unused.slice(0, 8).join('、')}${s.unused.length > 8 ? '…' : ''}` : '';
    out.push(`  ${s.name.padEnd(22)} ${String(s.lines).padStart(4)} lines @ ${s.urgentShare.toFixed(2)}${held}${unused}`);
  }
  return out.join('\n');
}
