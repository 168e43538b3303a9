import type { CountyDirectory } from '../directory/schema.js';
import { parseRelation } from './answers.js';
import type { Said } from './flow-turn.js';
import { RELATIONS, type ApplicantSlots, type Relation } from './state.js';
import type { Acts } from './understand/acts.js';
import { extractName, matchPlace, normalizeUtterance, parseChineseInt } from './understand/index.js';
import { soundsOf } from './understand/sound.js';
import type { ActField, ActKind, TurnAct } from './understand/turn-acts.js';

/**
 * How the step uses a model's reading of a turn (`said.model`, read by the runner before the step). The rules are
 * the floor: where they read an act of their own (a person, "don't know", a question back, "all safe") the model is
 * not consulted, and the flows ask it only where their own reader of the pending item found nothing. Every value
 * passes the item's own check before use. Without a model every function here returns what the rules read.
 */

/** Below this the model's act is a guess, and a guess fills nothing. */
export const MODEL_SURE = 0.7;

function rulesSpoke(acts: Acts): boolean {
  return acts.askPerson || acts.notUnderstood || acts.dontKnow || acts.safeNow || acts.question !== undefined;
}

function sure(said: Said, kind: ActKind): TurnAct[] {
  if (!said.model || rulesSpoke(said.acts)) return [];
  return said.model.filter((a) => a.act === kind && a.confidence >= MODEL_SURE);
}

/** The first answer (or correction) the model gave for `field` that passes `check`. */
export function modelValue<T>(said: Said, field: ActField, check: (value: string) => T | undefined, kind: 'answer' | 'correct' = 'answer'): T | undefined {
  for (const a of sure(said, kind)) {
    if (a.field !== field || a.value === null) continue;
    const value = check(a.value);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A yes or a no the model is sure of; both at once is neither. */
export function modelYesNo(said: Said): boolean | undefined {
  const yes = sure(said, 'affirm').length > 0;
  const no = sure(said, 'deny').length > 0;
  return yes === no ? undefined : yes;
}

/** The model heard danger the rules did not: the safety question is asked (the answer decides, never the model). */
export function modelSensesDanger(said: Said): boolean {
  return !said.urgency.urgent && sure(said, 'urgent_signal').length > 0;
}

/** What the repair policy reads of a failed answer: the rules' acts, or when they read none, the model's. */
export function repairActs(said: Said): Pick<Acts, 'dontKnow' | 'question'> & { askPerson: boolean } {
  const { dontKnow, question } = said.acts;
  if (!said.model || rulesSpoke(said.acts)) return { dontKnow, question, askPerson: false };
  const topic = sure(said, 'question')[0]?.topic ?? undefined;
  return { dontKnow: sure(said, 'dont_know').length > 0, question: topic, askPerson: sure(said, 'request_human').length > 0 };
}

// ───────────────────────── the items' own checks ─────────────────────────

/** A name the name reader accepts, and that the resident said: a model may find a name, never make one up. */
export const checkName = (said: Said) => (value: string) => {
  const name = extractName(normalizeUtterance(value), { bareAnswer: true });
  return name && said.text.includes(name) ? name : undefined;
};

/** Household size from a model: a whole number of people, 1 to 20. */
export function checkHousehold(value: string): number | undefined {
  const v = normalizeUtterance(value).trim();
  const n = /^\d{1,2}$/.test(v) ? Number(v) : parseChineseInt(v);
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 20 ? n : undefined;
}

export type PlaceCodes = Required<Pick<ApplicantSlots, 'townshipCode'>> & Pick<ApplicantSlots, 'villageCode'>;

/**
 * A place of the county directory that the resident said something of (a character, or its sound, of the name's own
 * part: 东鲁 of 东鲁村), so a model cannot send a case to a township nobody named. Within a township already known,
 * only a village of that township (changing the township is a correction the rules read).
 */
export const checkPlace = (said: Said, directory: CountyDirectory, within?: string) => (value: string): PlaceCodes | undefined => {
  const m = matchPlace(normalizeUtterance(value), directory);
  if (!m.township || !soundsSaid(said.text, m.village?.name ?? m.township.name)) return undefined;
  if (within && (m.township.code !== within || !m.village)) return undefined;
  return m.village ? { townshipCode: m.township.code, villageCode: m.village.code } : { townshipCode: m.township.code };
};

function soundsSaid(text: string, name: string): boolean {
  const own = soundsOf(name.replace(/(?:街道|社区|居委会|镇|乡|村)$/, ''));
  const heard = new Set(soundsOf(text));
  return own.filter((s) => heard.has(s)).length * 2 >= own.length;
}

export function checkRelation(value: string): Relation | undefined {
  const v = value.trim();
  return (RELATIONS as readonly string[]).includes(v) ? (v as Relation) : parseRelation(normalizeUtterance(v), { bare: true });
}
