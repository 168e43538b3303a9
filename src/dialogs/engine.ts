import type { Reply } from '../domain/messages.js';
import { wantsSkip } from './answers.js';
import type { DialogContext } from './context.js';
import type { AsideEffect, AsideResult, Effect } from './effects.js';
import { application, identityChecked } from './flows/application.js';
import { clueReceipt, readClue } from './flows/clue.js';
import { emergency, keepCallerNumberAfterStaff } from './flows/emergency.js';
import { enquiry } from './flows/enquiry.js';
import { followUpReceipt, readFollowUpAnswer } from './flows/follow-up.js';
import { handOver } from './flows/handover.js';
import { menu } from './flows/menu.js';
import { progress } from './flows/progress.js';
import { FLOW_LABELS, menuReply, STEP_LABELS } from './prompts.js';
import { answerSafety, checkSafety, dangerSaid } from './safety.js';
import { newState, startsAfresh, type DialogEvent, type DialogInput, type DialogState, type Flow, type MessageInput, type Step } from './state.js';
import { say, type ActiveFlow, type CaseFlow, type FlowHandler, type Said, type Turn } from './flow-turn.js';
import { modelSensesDanger } from './model-acts.js';
import { readActs } from './understand/acts.js';
import { withoutSpellingAidsOfNames } from './understand/name.js';
import { countHousehold, locateHouseholdSize } from './understand/household.js';
import { hanLength } from './understand/han.js';
import { maskSpan } from './understand/span.js';
import { normalizeUtterance } from './understand/index.js';

export type { DialogContext, UrgencyVerdict } from './context.js';

export interface StepResult {
  state: DialogState;
  replies: Reply[];
  effects: Effect[];
}

const FLOWS: Record<ActiveFlow, FlowHandler> = { menu, emergency, application, progress, enquiry };
const CASE_FLOWS: Partial<Record<Flow, CaseFlow>> = { emergency, application };

/** Below this, recognised speech is treated as "not heard" rather than "wrong". */
const LOW_CONFIDENCE = 0.5;

function isActive(flow: Flow): flow is ActiveFlow {
  return flow in FLOWS;
}

/** A flow waits on the resident (a silence reminder may chase them); a handed-over or closed conversation does not. */
export function waitsOnResident(flow: Flow): boolean {
  return isActive(flow);
}

/** What a message answered beside the dialog needs: the reply itself, or an effect whose result makes the reply. */
export type Aside = { replies: Reply[] } | { effect: AsideEffect };

/**
 * Messages answered beside the guided dialog, before it steps: in the WeCom app a clue (线索…) from a village
 * assistant; outside any dialog, an answer to the follow-up question (满意/不满意). They neither read nor change the
 * dialog state. Undefined: the message is the dialog's. Pure, like `step`.
 */
export function aside(state: DialogState | undefined, input: MessageInput, ctx: DialogContext): Aside | undefined {
  if (input.channel === 'wecom_app') {
    const clue = readClue(input.text, ctx);
    if (clue) return clue;
  }
  if (!state || state.flow === 'closed') return readFollowUpAnswer(input);
  return undefined;
}

/** The reply to a message answered beside the dialog, once its effect is done. */
export function answerAside(done: AsideResult, ctx: DialogContext): Reply[] {
  return [done.event === 'clue_reported' ? clueReceipt(done, ctx) : followUpReceipt(done)];
}

/**
 * One turn of the conversation: state + input → new state, replies, effects.
 * Pure and deterministic: time comes from the input or ctx.now, every dependency
 * from ctx, and the caller's state object is never modified.
 */
export function step(state: DialogState | undefined, input: DialogInput, ctx: DialogContext): StepResult {
  return input.kind === 'message' ? onMessage(state, input, ctx) : onEvent(state, input, ctx);
}

function makeTurn(s: DialogState, ctx: DialogContext, at: string): Turn {
  const t: Turn = {
    s,
    ctx,
    at,
    replies: [],
    effects: [],
    goto: (flow, said) => {
      t.s.flow = flow;
      FLOWS[flow].enter(t, said);
    },
  };
  return t;
}

function finish(t: Turn): StepResult {
  t.s.updatedAt = t.at;
  return { state: t.s, replies: t.replies, effects: t.effects };
}

function hear(input: MessageInput, ctx: DialogContext, step: DialogState['step']): Said {
  // Keypad entry: `*` stands for the X of an ID number, `#` only ends the entry.
  const keyed = input.digits?.replace(/#+$/, '').replace(/\*/g, 'X') ?? '';
  // Keys pressed are the answer; words said around them ("我按一下") are not.
  const text = normalizeUtterance(keyed || input.text.trim());
  return {
    text,
    channel: input.channel,
    at: input.at,
    unsure: !input.digits && (input.speechConfidence ?? 1) < LOW_CONFIDENCE,
    urgency: ctx.detectUrgency(withoutTheAnswer(withoutSpellingAids(text), step)),
    alarmed: false,
    acts: readActs(text),
    ...(input.model ? { model: input.model } : {}),
  };
}

/**
 * What urgency is read from: the words, without the numbers and spelling aids of an answer
 * ("洪水的洪", "打我这个手机"), which name no situation.
 */
function withoutSpellingAids(text: string): string {
  return withoutSpellingAidsOfNames(text)
    .replace(/[\u4e00-\u9fff]是[^，。\s]{0,4}?(?:字头|字旁|字底|偏旁|部首|(?:上面|下面|左边|右边|里面)一个)[^，。\s]{0,4}/g, '')
    .replace(/弓长张|木子李|立早章|耳东陈|口天吴|草头黄|双木林|古月胡/g, '')
    .replace(/打(?:我|俺|他|她)?(?:这个|那个)?(?:手机|电话|号码?)/g, '')
    .replace(/[0-9零〇一二两三四五六七八九十幺洞拐勾叉xX\s-]{6,}/g, ' ');
}

/** Asked for the household, the count is the answer: "就他一个人" is no one left alone. */
function withoutTheAnswer(text: string, step: DialogState['step']): string {
  if (step !== 'householdSize') return text;
  const count = locateHouseholdSize(text);
  if (count) return maskSpan(text, count);
  // A short answer the household reader counts ("就她一个人") is all answer.
  return hanLength(text) <= 8 && countHousehold(text) !== undefined ? '' : text;
}

function onMessage(prev: DialogState | undefined, input: MessageInput, ctx: DialogContext): StepResult {
  const fresh = startsAfresh(prev, input.at);
  const s = fresh || !prev ? newState(input.channel, input.at) : structuredClone(prev);
  const resumed = !fresh && s.lastChannel !== input.channel ? CASE_FLOWS[s.flow] : undefined;
  s.lastChannel = input.channel;
  s.remindersSent = 0;
  const t = makeTurn(s, ctx, input.at);
  const said = hear(input, ctx, fresh ? undefined : s.step);
  const story = toldAStory(t.s, said);
  said.urgency = urgencyWhereSaid(said, story, s.step);
  const flaggedBefore = t.s.safety.flagged;
  checkSafety(t, said);
  const safety = t.s.safety;
  said.alarmed = !flaggedBefore && safety.flagged;
  if (!safety.flagged && !safety.asked && ((story && said.urgency.unsure) || modelSensesDanger(said))) safety.pending = true;
  if (!command(t, said)) converse(t, said, fresh, resumed);
  return finish(t);
}

/**
 * The model's reading counts where there is a story for it to read. An answer to a form question ("打俺这个就行",
 * "俺两口子加俺娘") is none: there a situation the rules read flags or asks, and the model only when it is sure
 * ("我刚把一瓶安眠药都喝了"). Asking for a person, the person reads the message: the model's doubt raises no alarm.
 */
function urgencyWhereSaid(said: Said, story: boolean, step: DialogState['step']): Said['urgency'] {
  const u = said.urgency;
  if (u.by !== 'model') return u;
  const weakInAnAnswer = !story && (u.modelP ?? 0) < SURE_IN_AN_ANSWER;
  // The safety question's answer has its own reader: its plain no ("吃的有 屋里有炉子 不冷") is not overruled by
  // the model, which reads the words of cold and stoves, not that they are had.
  const safeSaid = step === 'safety' && dangerSaid(said) === false;
  if (weakInAnAnswer || safeSaid || said.acts.askPerson) return { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, unsure: false };
  // In a story, the model's lone doubt ("就剩她和个傻儿子") is a question to the resident, not yet an alarm:
  // the safety question comes next, and a yes (or no clear answer twice) flags.
  const lone = u.urgent && u.signals.length === 0 && (u.modelP ?? 0) < SURE_IN_A_STORY;
  return lone ? { ...u, urgent: false, unsure: true, lifeDanger: false, mentalHealth: false } : u;
}


/** Steps whose answer is the resident's own account; elsewhere a name or a number is no sign of danger. */
const STORY_STEPS = new Set<string>(['menu', 'reason', 'what', 'affected', 'enquiry_category', 'enquiry_answered']);

/** How sure the model must be to flag from an answer to a form question. */
const SURE_IN_AN_ANSWER = 0.75;

/** How sure the model alone must be to flag from a story; below it, the resident is asked. */
const SURE_IN_A_STORY = 0.5;

/** An answer to a form question this long tells more than the answer ("我嫁到市里了…" is not; a night without food may be). */
const STORY_IN_AN_ANSWER = 30;

function toldAStory(s: DialogState, said: Said): boolean {
  return !s.step || STORY_STEPS.has(s.step) || hanLength(withoutSpellingAids(said.text)) >= STORY_IN_AN_ANSWER;
}

/** Form items a resident keys in, and the words for not managing to. */
const NUMBER_ITEMS = new Set<Step>(['idNumber', 'phone', 'phone_confirm']);
const CANNOT_DO_IT = /不会弄|不会用|不会打字|不会按|弄不了|整不了/;

/** Words that work on any turn: a person, start again, emergency. */
function command(t: Turn, said: Said): boolean {
  const text = said.text;
  // "俺不会弄" asked for a number: that item is left for the callback, not the whole application for a person.
  if (said.acts.notUnderstood && t.s.step && NUMBER_ITEMS.has(t.s.step) && CANNOT_DO_IT.test(text)) {
    said.acts = { ...said.acts, notUnderstood: false, dontKnow: true };
  }
  if (text === '0' || said.acts.askPerson || said.acts.notUnderstood) {
    if (text !== '0' && said.acts.askPerson && offerToFinish(t)) return true;
    handOver(t, 'asked_for_person', '居民要求转人工');
    return true;
  }
  // While a person has the conversation, the bot stays quiet apart from safety lines.
  if (t.s.flow === 'handover') return false;
  if (/重来|重新开始/.test(text)) {
    t.s = newState(said.channel, t.at);
    t.replies.push(menuReply('好的，我们重新开始。'));
    return true;
  }
  if (/紧急/.test(text) && !/不紧急|不是紧急/.test(text) && t.s.flow !== 'emergency') {
    t.goto('emergency', said);
    return true;
  }
  return false;
}

/** Form items given before a person is asked for, from which finishing is offered first. */
const GIVEN_BEFORE_OFFER = 2;

/**
 * "问来问去的，给俺找个真人" half-way through an application: a person means waiting for a call back, and
 * what is left is little. Said once, with what is left; asked again (or 0 on the keypad), a person it is.
 */
function offerToFinish(t: Turn): boolean {
  const s = t.s;
  const flow = CASE_FLOWS[s.flow];
  if (s.flow !== 'application' || !flow || !s.step || s.finishOffered) return false;
  const given = Object.entries(s.slots).filter(([k, v]) => k !== 'reason' && v !== undefined).length + (s.relation ? 1 : 0);
  if (given < GIVEN_BEFORE_OFFER) return false;
  s.finishOffered = true;
  const left = flow.missing(s).map((step) => STEP_LABELS[step]);
  const rest = left.length > 0 ? `只差${left.join('、')}这${left.length}项了` : '只差最后确认了';
  const voice = s.lastChannel === 'voice';
  const wait = voice ? '可以给您转接工作人员，不过可能要等一会儿' : '可以给您转人工，不过要等工作人员回电话';
  say(t, `${wait}。您的申请${rest}，接着办请直接回答；一定要转人工请${voice ? '按0' : '回复"转人工"'}。`);
  FLOWS[s.flow].advance(t);
  return true;
}

function converse(t: Turn, said: Said, fresh: boolean, resumed: CaseFlow | undefined): void {
  const flow = t.s.flow;
  if (!isActive(flow)) return;
  if (t.s.pendingEffect) {
    say(t, '正在为您办理，请稍候。');
    return;
  }
  if (fresh) return menu.enter(t, said);
  const caseFlow = CASE_FLOWS[flow];
  // Danger outside a case flow turns the conversation into an emergency report.
  if (said.urgency.urgent && !caseFlow) return t.goto('emergency', said);
  if (resumed) return resume(t, said, resumed);
  if (t.s.step === 'safety') {
    // A danger the answer confirms (a yes, or a danger told in it) before any form item was given: the call is
    // about the danger, not the form. No clear answer twice alerts a person too, but is no report of danger.
    // A resident who asked to apply ("我想申请低保…") is alerted for and keeps the application they asked for.
    const confirmed = dangerSaid(said) === true || said.alarmed;
    const answered = answerSafety(t, said);
    if (answered && confirmed && flow === 'application' && onlyTheAccount(t.s) && !askedToApply(t.s)) {
      const e = t.s.emergency;
      const { townshipCode, villageCode, address } = t.s.slots;
      if (!e.townshipCode && townshipCode) Object.assign(e, { townshipCode, villageCode, address });
      e.what ??= t.s.slots.reason;
      return t.goto('emergency');
    }
    caseFlow?.absorb(t, said);
    return answered ? FLOWS[flow].advance(t) : undefined;
  }
  if (caseFlow && wantsSkip(said.text)) return caseFlow.skip(t);
  FLOWS[flow].onMessage(t, said);
}

/** Nothing of the applicant's form given yet, apart from what happened and where (which a report takes too). */
function onlyTheAccount(s: DialogState): boolean {
  const { reason: _reason, townshipCode: _township, villageCode: _village, address: _address, ...rest } = s.slots;
  return Object.values(rest).every((v) => v === undefined) && !s.relation && !s.consent;
}

/** Words of asking for assistance or naming a programme: the account asked for an application, not only told a plight. */
const ASKS_TO_APPLY = /申请|办理|想办|要办|低保|五保|特困|补助|补贴|救助|救济|帮扶/;

function askedToApply(s: DialogState): boolean {
  return ASKS_TO_APPLY.test(s.slots.reason ?? '');
}

/** Back on another channel: say what is still missing, then ask for the next item. */
function resume(t: Turn, said: Said, flow: CaseFlow): void {
  flow.absorb(t, said);
  const gaps = flow.missing(t.s).map((step) => STEP_LABELS[step]);
  say(t, gaps.length > 0 ? `您上次的${flow.noun}还差${gaps.join('、')}，我们接着办。` : `您上次的${flow.noun}只差最后确认了。`);
  flow.advance(t);
}

function onEvent(prev: DialogState | undefined, input: DialogEvent, ctx: DialogContext): StepResult {
  if (!prev) throw new Error(`${input.event} event without a conversation`);
  const t = makeTurn(structuredClone(prev), ctx, ctx.now.toISOString());
  switch (input.event) {
    case 'case_opened':
      caseOpened(t, input.trackingNumber, input.contactBy);
      break;
    case 'progress_result':
      if (t.s.pendingEffect?.type === 'lookup_progress') {
        t.s.pendingEffect = undefined;
        progress.onResult(t, input.cases);
      }
      break;
    case 'identity_checked':
      if (t.s.pendingEffect?.type === 'check_identity') {
        t.s.pendingEffect = undefined;
        if (t.s.flow === 'application') identityChecked(t, input.verdict);
      }
      break;
    case 'silence':
      silence(t);
      break;
    case 'staff_released':
      released(t);
      break;
  }
  return finish(t);
}

function caseOpened(t: Turn, trackingNumber: string, contactBy: string | undefined): void {
  const s = t.s;
  const pending = s.pendingEffect;
  if (pending?.type !== 'open_case') return;
  s.pendingEffect = undefined;
  s.trackingNumber = trackingNumber;
  const flow = CASE_FLOWS[s.flow];
  // After silence the short final reply was already sent; the number is kept to complete the case later.
  if (!pending.confirmed || !flow) return;
  flow.receipt(t, trackingNumber, contactBy);
  s.flow = 'closed';
  s.step = undefined;
}

/** First silence: a reminder (not on voice, where nobody hears it). Second: keep what we have and call back. */
function silence(t: Turn): void {
  const s = t.s;
  if (!isActive(s.flow) || s.pendingEffect || s.remindersSent >= 2) return;
  s.remindersSent += 1;
  const hotline = t.ctx.directory.county.window.hotline;
  if (s.remindersSent === 1) {
    if (s.lastChannel !== 'voice') {
      say(t, '您还在吗？');
      FLOWS[s.flow].advance(t);
    }
    return;
  }
  const flow = CASE_FLOWS[s.flow];
  if (!flow) {
    s.flow = 'closed';
    s.step = undefined;
    say(t, `没有收到您的回复，本次服务先结束。需要帮助请随时联系${hotline}。`, { hangup: true });
    return;
  }
  const gaps = flow.missing(s).map((step) => STEP_LABELS[step]);
  flow.submit(t, false);
  t.effects.push({
    type: 'callback_task',
    reason: `${FLOW_LABELS[s.flow]}中途没有回应，请回电${gaps.length > 0 ? `补充${gaps.join('、')}` : '确认'}`,
  });
  say(t, `我们先把您说的记下了，工作人员会打电话给您。您也可以随时回复消息或拨打${hotline}接着办。`, { hangup: true });
}

function released(t: Turn): void {
  const s = t.s;
  if (s.flow !== 'handover') return;
  const back = s.heldFlow && isActive(s.heldFlow) ? s.heldFlow : 'menu';
  s.heldFlow = undefined;
  s.flow = back;
  if (back === 'emergency') keepCallerNumberAfterStaff(t);
  say(t, '工作人员已把对话交回给我，我们接着办。');
  FLOWS[back].advance(t);
}
