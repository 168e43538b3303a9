import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { compileMatcher, type Matcher } from './matcher.js';
import { SIGNAL_KINDS, type SignalKind } from './signals.js';

/**
 * The word lists of situation frames (data/routing/frames.json), validated and compiled into
 * one word-boundary matcher. Each word carries its roles: a state (or a cue for one), a cue
 * group, who it is about, a time marker, or a modality marker.
 */

export const WHO = ['child', 'elder', 'disabled', 'self', 'other', 'nonhuman'] as const;
export type Who = (typeof WHO)[number];
export const TIMES = ['now', 'recent', 'earlier', 'past', 'resolved'] as const;
export type TimeMark = (typeof TIMES)[number];
/** `request`: the clause asks for something (想找个活, 能不能帮俺): what is asked for is the main need, not a circumstance. */
export const MODALITIES = ['hypothetical', 'worry', 'reported', 'policy', 'retracted', 'hedged', 'request'] as const;
export type Modality = (typeof MODALITIES)[number];
/**
 * What a message is for when it is not a need: thanks for help already given, a word about the line or its staff
 * (占线, 态度), an offer to give or take part (捐, 合作, 报名), jobs offered by an organisation (招人). Read by
 * purpose.ts, which says "no need" only when nothing else is told.
 */
export const PURPOSES = ['thanks', 'service', 'offer', 'hiring'] as const;
export type Purpose = (typeof PURPOSES)[number];
/** What a clause tells about its person beside who they are: young, a woman, from elsewhere. */
export const TRAITS = ['youth', 'woman', 'outsider'] as const;
export type Trait = (typeof TRAITS)[number];

const Words = z.array(z.string().min(1));
const Need = z.union([z.literal('now'), z.literal('vulnerable'), z.string().regex(/^cue:[a-z_]+$/)]);
/** `unmet`: a cue whose needs are not all met is asked about (`doubtful`), or only when "now" alone is missing. */
const Cue = z.object({ words: Words, needs: z.array(Need).min(1), unmet: z.enum(['doubtful', 'doubtful_without_now']).optional() });
const State = z.object({ words: Words, cues: z.array(Cue).default([]) });

export const FrameWordsFile = z
  .object({
    states: z.record(z.enum(SIGNAL_KINDS), State),
    cueGroups: z.record(z.string(), Words),
    who: z.object(Object.fromEntries(WHO.map((w) => [w, Words])) as Record<Who, typeof Words>),
    childAge: z.object({ below: z.number().int().positive() }),
    traits: z.object(Object.fromEntries(TRAITS.map((t) => [t, Words])) as Record<Trait, typeof Words>),
    /** A stated age in this range makes the person young (youth). */
    youthAge: z.object({ from: z.number().int().positive(), to: z.number().int().positive() }),
    time: z.object({ ...(Object.fromEntries(TIMES.map((t) => [t, Words])) as Record<TimeMark, typeof Words>), durationUnits: Words }),
    modality: z.object(Object.fromEntries(MODALITIES.map((m) => [m, Words])) as Record<Modality, typeof Words>),
    /** Words that put the state word right after them in progress now: 在打孩子, 正往里灌. */
    progressive: Words,
    purpose: z.object(Object.fromEntries(PURPOSES.map((p) => [p, Words])) as Record<Purpose, typeof Words>),
  })
  .superRefine((file, ctx) => {
    for (const kind of SIGNAL_KINDS) if (!file.states[kind]) ctx.addIssue({ code: 'custom', message: `no words for state ${kind}` });
    for (const [kind, state] of Object.entries(file.states)) {
      for (const cue of state.cues) {
        for (const need of cue.needs) {
          if (need.startsWith('cue:') && !file.cueGroups[need.slice(4)]) ctx.addIssue({ code: 'custom', message: `${kind}: unknown cue group ${need}` });
        }
      }
    }
  });
export type FrameWordsFile = z.infer<typeof FrameWordsFile>;

export type CueRule = { needs: string[]; unmet?: 'doubtful' | 'doubtful_without_now' };

/** One role a word plays; a word can play several ("天台" is a place and a sign of danger). */
export type Role =
  | { type: 'state'; kind: SignalKind; cue?: CueRule }
  | { type: 'group'; name: string }
  | { type: 'who'; who: Who }
  | { type: 'trait'; trait: Trait }
  | { type: 'time'; time: TimeMark }
  | { type: 'mod'; modality: Modality }
  | { type: 'purpose'; purpose: Purpose };

/** Every list by a readable name, for scoring lists against a corpus ("state:fire", "cue:fire#0", "time:past"). */
export type NamedList = { name: string; words: string[]; role: Role };

export const FRAME_WORDS_PATH = new URL('../../data/routing/frames.json', import.meta.url);

export function namedLists(file: FrameWordsFile): NamedList[] {
  const out: NamedList[] = [];
  for (const kind of SIGNAL_KINDS) {
    const state = file.states[kind];
    out.push({ name: `state:${kind}`, words: state.words, role: { type: 'state', kind } });
    state.cues.forEach((cue, i) => {
      const rule: CueRule = { needs: cue.needs, ...(cue.unmet ? { unmet: cue.unmet } : {}) };
      out.push({ name: `cue:${kind}#${i}`, words: cue.words, role: { type: 'state', kind, cue: rule } });
    });
  }
  for (const [name, words] of Object.entries(file.cueGroups)) out.push({ name: `group:${name}`, words, role: { type: 'group', name } });
  for (const who of WHO) out.push({ name: `who:${who}`, words: file.who[who], role: { type: 'who', who } });
  for (const trait of TRAITS) out.push({ name: `trait:${trait}`, words: file.traits[trait], role: { type: 'trait', trait } });
  for (const time of TIMES) out.push({ name: `time:${time}`, words: file.time[time], role: { type: 'time', time } });
  for (const modality of MODALITIES) out.push({ name: `mod:${modality}`, words: file.modality[modality], role: { type: 'mod', modality } });
  for (const purpose of PURPOSES) out.push({ name: `purpose:${purpose}`, words: file.purpose[purpose], role: { type: 'purpose', purpose } });
  return out;
}

/** Traits, requests and purposes say whose need it is, what is asked for, or that none is; they never touch urgency. */
const isPersonRole = (role: Role): boolean => role.type === 'trait' || role.type === 'purpose' || (role.type === 'mod' && role.modality === 'request');

export type FrameWords = {
  file: FrameWordsFile;
  progressive: ReadonlySet<string>;
  match: Matcher<Role[]>;
  has: (word: string) => boolean;
  /**
   * Traits and requests, matched apart so they never hide or shift a state, a person or a time
   * word (她男人 is a trait and must leave 男人打 to the violence cue).
   */
  person: { match: Matcher<Role[]> };
  /** Numerals then a duration unit: "三天", "一个多小时", "好几个钟头". */
  duration: RegExp;
};

export function compileFrameWords(file: FrameWordsFile): FrameWords {
  const entries: [string, Role[]][] = [];
  const personEntries: [string, Role[]][] = [];
  for (const list of namedLists(file)) for (const word of list.words) (isPersonRole(list.role) ? personEntries : entries).push([word, [list.role]]);
  const words = new Set(entries.map(([w]) => w));
  const units = [...file.time.durationUnits].sort((a, b) => b.length - a.length).join('|');
  const merge = (a: Role[], b: Role[]) => [...a, ...b];
  return {
    file,
    progressive: new Set(file.progressive),
    match: compileMatcher(entries, merge),
    has: (word) => words.has(word),
    person: { match: compileMatcher(personEntries, merge) },
    // Not "前几天" (a few days ago): that is a time in the past, not how long something has lasted.
    duration: new RegExp(`(?<![前上])[零一二三四五六七八九十两几半0-9]+个?多?(?:${units})`, 'u'),
  };
}

let shipped: FrameWords | undefined;

/** The committed word lists, read once on first use. */
export function frameWords(): FrameWords {
  shipped ??= compileFrameWords(FrameWordsFile.parse(JSON.parse(readFileSync(FRAME_WORDS_PATH, 'utf8'))));
  return shipped;
}
