import { analyse } from './analyse.js';
import type { EvalLine } from './eval.js';
import { frameWords, namedLists, type FrameWords } from './frame-words.js';
import { readFrames } from './frames.js';
import { ownedNeeds, ownerName, owners, type Owner } from './owners.js';
import { wordSpans } from './words.js';

/**
 * How each word list of the situation frames does on a labelled corpus: on how many lines
 * a word of the list is found (on word boundaries), the share of those lines that are
 * urgent, and for state lists how often the frames made it hold and how precise that was.
 * A list added to pass one example shows up here as one hit; a list that fires on calm
 * lines as low precision. The whose-need rules (owners.json) are scored beside them: on how
 * many lines each fired, and how often its category was expected there, and as the lead.
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
  /** Whose-need rules only: share of the lines it fired on that expect its category, and as the lead. */
  owner?: { expected: number; lead: number };
};

export function scoreWordLists(lines: readonly EvalLine[], words: FrameWords = frameWords(), rules: readonly Owner[] = owners()): ListScore[] {
  return [...scoreLists(lines, words), ...scoreOwners(lines, rules)];
}

function scoreLists(lines: readonly EvalLine[], words: FrameWords): ListScore[] {
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
    const { text, tokens } = analysis;
    const fits = wordSpans(text, tokens, words.has);
    const hits = [...words.match(text, fits), ...words.person.match(text, fits)];
    for (const hit of hits) {
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
    `word lists on ${total} lines (lines with a hit, share urgent; for states: lines where it held, precision; words never found; for whose-need rules: how often their category was expected)`,
  ];
  for (const s of scores) {
    if (s.owner) {
      out.push(`  ${s.name.padEnd(22)} ${String(s.lines).padStart(4)} lines @ ${s.urgentShare.toFixed(2)}  category expected ${s.owner.expected.toFixed(2)}, as the lead ${s.owner.lead.toFixed(2)}`);
      continue;
    }
    const held = s.held !== undefined ? `  held ${String(s.held).padStart(4)} @ ${(s.heldPrecision ?? 0).toFixed(2)}` : ''.padEnd(16);
    const unused = s.unused.length > 0 ? `  unused ${s.unused.length}/${s.words}: ${s.unused.slice(0, 8).join('、')}${s.unused.length > 8 ? '…' : ''}` : '';
    out.push(`  ${s.name.padEnd(22)} ${String(s.lines).padStart(4)} lines @ ${s.urgentShare.toFixed(2)}${held}${unused}`);
  }
  return out.join('\n');
}

/** How each whose-need rule (owners.json) does: lines it fired on, and how often its category was expected there, and as the lead. */
export function scoreOwners(lines: readonly EvalLine[], rules: readonly Owner[] = owners()): ListScore[] {
  const tally = new Map<Owner, { lines: number; urgent: number; expected: number; lead: number }>(rules.map((o) => [o, { lines: 0, urgent: 0, expected: 0, lead: 0 }]));
  for (const line of lines) {
    for (const { owner } of ownedNeeds(readFrames(analyse(line.text)), rules)) {
      const t = tally.get(owner);
      if (!t) continue;
      t.lines++;
      if (line.urgent) t.urgent++;
      if (line.expect.includes(owner.category)) t.expected++;
      if (line.expect[0] === owner.category) t.lead++;
    }
  }
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  return rules.map((o) => {
    const t = tally.get(o) as { lines: number; urgent: number; expected: number; lead: number };
    return { name: `owner:${ownerName(o)}`, words: 0, lines: t.lines, urgentShare: share(t.urgent, t.lines), unused: [], owner: { expected: share(t.expected, t.lines), lead: share(t.lead, t.lines) } };
  });
}
