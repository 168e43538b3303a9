import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';
import { TRAITS, WHO } from './frame-words.js';
import type { FrameReading } from './frames.js';
import { readPersons, type Situation } from './person.js';
import { SIGNAL_KINDS, SIGNAL_LABEL, type SignalKind } from './signals.js';

/**
 * Whose need a situation is, as rules (data/routing/owners.json): a state about a person of a
 * kind names the category that helps that person (violence against a woman → women, a teenager
 * talking of ending it → youth, a stranger stranded in town → vagrant). The rules count it as a
 * lexicon word, with a reason staff can read.
 */

const Person = z.enum([...WHO, ...TRAITS] as [string, ...string[]]);
const Owner = z.object({
  states: z.array(z.enum(SIGNAL_KINDS)).min(1),
  person: Person,
  category: CategoryCode,
  weight: z.number().positive(),
  because: z.string().min(1),
  /** Not when the person is also of one of these kinds: their need is another rule's (a woman from elsewhere with nowhere to sleep: vagrant). */
  notFor: z.array(Person).optional(),
});
export const OwnersFile = z.object({ owners: z.array(Owner) });
export type Owner = z.infer<typeof Owner>;

export const OWNERS_PATH = new URL('../../data/routing/owners.json', import.meta.url);

let shipped: Owner[] | undefined;

export function owners(): Owner[] {
  shipped ??= OwnersFile.parse(JSON.parse(readFileSync(OWNERS_PATH, 'utf8'))).owners;
  return shipped;
}

/** A readable name for a rule, for scoring: "violence+woman→women". */
export const ownerName = (o: Owner): string => `${o.states.join('|')}+${o.person}→${o.category}`;

export type Owned = { owner: Owner; kind: SignalKind };

const about = (s: Situation, person: string): boolean => s.who === person || (s.traits as readonly string[]).includes(person);

const shippedOwned = new WeakMap<FrameReading, Owned[]>();

/** The rules that apply to a text's situations, each once, with the state that made it (for the shipped rules, read once per text). */
export function ownedNeeds(frames: FrameReading, rules?: readonly Owner[]): Owned[] {
  if (rules) return owning(frames, rules);
  let o = shippedOwned.get(frames);
  if (!o) shippedOwned.set(frames, (o = owning(frames, owners())));
  return o;
}

function owning(frames: FrameReading, rules: readonly Owner[]): Owned[] {
  const { situations } = readPersons(frames);
  const out: Owned[] = [];
  for (const owner of rules) {
    const s = situations.find((x) => owner.states.includes(x.kind) && about(x, owner.person) && !owner.notFor?.some((p) => about(x, p)));
    if (s) out.push({ owner, kind: s.kind });
  }
  return out;
}

/** "所述情况：妇女遭受暴力（正在发生暴力）" */
export const ownedReason = ({ owner, kind }: Owned): string => `所述情况：${owner.because}（${SIGNAL_LABEL[kind]}）`;
