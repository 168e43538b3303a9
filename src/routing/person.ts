import { TRAITS, WHO, type Trait, type Who } from './frame-words.js';
import type { FrameReading } from './frames.js';
import { SIGNAL_KINDS, type SignalKind } from './signals.js';

/**
 * Whose need it is. The lead agency follows the person a situation is about more than the
 * words around it: violence against a woman goes to the women's federation, a teenager on a
 * roof to the youth league, a stranger lost in town to the rescue station, a child left alone
 * to child welfare. This reads, from the situation frames, the situations that were not
 * dismissed (held or doubtful) with the person each is about, and the traits told of anyone.
 */

export type Situation = { kind: SignalKind; held: boolean; who?: Who; traits: readonly Trait[] };

export type PersonReading = {
  /** States that hold now or are doubtful, each with who it is about and that person's traits. */
  situations: Situation[];
  /** Traits told of anyone in the text. */
  traits: Set<Trait>;
  /** Kinds of person named anywhere (not carried over). */
  persons: Set<Who>;
};

const read = new WeakMap<FrameReading, PersonReading>();

/** Read once per text: the rules, the model and the lead ranker all ask. */
export function readPersons(reading: FrameReading): PersonReading {
  let p = read.get(reading);
  if (!p) read.set(reading, (p = personsOf(reading)));
  return p;
}

function personsOf(reading: FrameReading): PersonReading {
  const traits = new Set<Trait>();
  const persons = new Set<Who>();
  for (const frame of reading.frames) {
    for (const t of frame.traits) traits.add(t);
    for (const p of frame.persons) persons.add(p);
    if (frame.who && !frame.who.carried) persons.add(frame.who.who);
  }
  // What the caller told of themselves (the frames give it to every clause about them): it also
  // describes them in a clause where someone else is named first (我爸……抽我).
  const selfTraits = new Set<Trait>();
  for (const frame of reading.frames) if (frame.who?.who === 'self') for (const t of frame.traits) selfTraits.add(t);
  const situations: Situation[] = [];
  for (const f of reading.findings) {
    if (f.reading === 'dropped') continue;
    const traits = new Set(f.frame.traits);
    if (f.frame.persons.includes('self')) for (const t of selfTraits) traits.add(t);
    situations.push({ kind: f.kind, held: f.reading === 'holds', ...(f.frame.who ? { who: f.frame.who.who } : {}), traits: [...traits] });
  }
  return { situations, traits, persons };
}

/** The features, built once, each a list of one (the same array every time, as features.ts passes them). */
const one = (feature: string): readonly string[] => [feature];
const TRAIT_FEATURE = Object.fromEntries(TRAITS.map((t) => [t, one(`a${t}`)])) as Record<Trait, readonly string[]>;
const SITUATION_FEATURE = Object.fromEntries(
  [...WHO, ...TRAITS].map((p) => [p, Object.fromEntries(SIGNAL_KINDS.map((k) => [k, one(`s${p}:${k}`)]))]),
) as Record<Who | Trait, Record<SignalKind, readonly string[]>>;

/** The model's features for whose need it is: `a<trait>` anywhere, `s<who|trait>:<state>` per situation. */
export function personFeatures(reading: FrameReading, take: (features: readonly string[]) => void): void {
  const p = readPersons(reading);
  for (const t of p.traits) take(TRAIT_FEATURE[t]);
  for (const s of p.situations) {
    if (s.who) take(SITUATION_FEATURE[s.who][s.kind]);
    for (const t of s.traits) take(SITUATION_FEATURE[t][s.kind]);
  }
}
