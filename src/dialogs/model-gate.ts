import { consentIn, parseRelation, yesNo } from './answers.js';
import type { DialogContext } from './context.js';
import type { ActiveFlow } from './flow-turn.js';
import { FLOW_LABELS, STEP_LABELS } from './prompts.js';
import { dangerSaid } from './safety.js';
import { startsAfresh, type DialogState, type MessageInput, type Step } from './state.js';
import { readActs, type Acts } from './understand/acts.js';
import { countHousehold, extractHouseholdSize, extractName, extractPhoneLoose, findIdNumber, matchPlace, normalizeUtterance, parseChineseInt } from './understand/index.js';
import { act, type ActField, type TurnAct } from './understand/turn-acts.js';

/**
 * Which turns a model is asked to read (the runner asks before the step), and the rules' own reading in the same act
 * schema. Asked: answers in the resident's own words (reason, name, relation, household), and a few other questions
 * (place, consent, the read-back, the safety question) when the rules read nothing. Never: keys pressed, and
 * questions whose answer is a number (ID, phone, tracking number), which are read by the rules alone.
 */

/** What a model is asked: the question pending and the resident's words (normalised; the reader masks numbers). */
export type ModelQuestion = { flow: ActiveFlow; step: Step; topic: string; text: string };

const FREE_TEXT = new Set<Step>(['reason', 'name', 'relation', 'householdSize']);
const WHEN_UNREAD = new Set<Step>(['place', 'where', 'consent', 'summary', 'safety']);
const FLOWS_ASKED = new Set<string>(['emergency', 'application'] satisfies ActiveFlow[]);

export function questionForModel(prev: DialogState | undefined, input: MessageInput, ctx: Pick<DialogContext, 'directory'>): ModelQuestion | undefined {
  if (input.digits || !prev || startsAfresh(prev, input.at) || prev.pendingEffect) return undefined;
  const { flow, step } = prev;
  if (!step || !FLOWS_ASKED.has(flow)) return undefined;
  const text = normalizeUtterance(input.text.trim());
  if (!text) return undefined;
  const asked = FREE_TEXT.has(step) || (WHEN_UNREAD.has(step) && !saysANumber(text) && !readByRules(step, rulesActs(step, text, ctx)));
  return asked ? { flow: flow as ActiveFlow, step, topic: `${FLOW_LABELS[flow]}：${STEP_LABELS[step]}`, text } : undefined;
}

/** An ID or phone number in an answer that is not free text is the answer (a correction at the read-back). */
function saysANumber(text: string): boolean {
  return findIdNumber(text) !== undefined || extractPhoneLoose(text) !== undefined;
}

/** At the read-back a "no" often comes with a correction the rules cannot place; elsewhere any act is a reading. */
function readByRules(step: Step, acts: TurnAct[]): boolean {
  return acts.some((a) => a.act !== 'off_topic' && !(step === 'summary' && a.act === 'deny'));
}

/** The rules' reading of a turn, for the pending question, in the act schema a model answers in. */
export function rulesActs(step: Step, text: string, ctx: Pick<DialogContext, 'directory'>): TurnAct[] {
  const acts = readActs(text);
  const out: TurnAct[] = [];
  if (text === '0' || acts.askPerson || acts.notUnderstood) out.push(act('request_human'));
  if (acts.dontKnow) out.push(act('dont_know'));
  if (acts.question) out.push(act('question', { topic: acts.question }));
  const reading = answerTo(step, text, acts, ctx);
  if (reading) out.push(reading);
  return out.length > 0 ? out : [act('off_topic')];
}

function answerTo(step: Step, text: string, acts: Acts, ctx: Pick<DialogContext, 'directory'>): TurnAct | undefined {
  const answer = (field: ActField, value: string | number | undefined) =>
    value === undefined ? undefined : act('answer', { field, value: String(value) });
  const yesNoAct = (yes: boolean | undefined) => (yes === undefined ? undefined : act(yes ? 'affirm' : 'deny'));
  switch (step) {
    case 'reason':
    case 'what':
    case 'affected':
      return text.length >= 2 ? answer(step, text) : undefined;
    case 'name':
      return answer('name', extractName(text, { bareAnswer: true }));
    case 'householdSize':
      return answer('householdSize', countHousehold(text) ?? extractHouseholdSize(text) ?? parseChineseInt(text));
    case 'place':
    case 'where': {
      const m = matchPlace(text, ctx.directory);
      return m.township ? answer('place', `${m.township.name}${m.village?.name ?? ''}`) : undefined;
    }
    case 'relation':
    case 'reporter':
      return answer('relation', parseRelation(text, { bare: true }));
    case 'consent':
      return yesNoAct(consentIn(text));
    case 'safety':
    case 'danger':
      return yesNoAct(dangerSaid({ text, acts }));
    case 'summary':
    case 'phone_confirm':
    case 'enquiry_answered':
      return yesNoAct(yesNo(text));
    default:
      return undefined;
  }
}
