import type { Reply } from '../../domain/messages.js';
import { maskPhone } from '../../domain/masking.js';
import { freeText, meansCallerNumber, nationalPhone, parseRelation, yesNo } from '../answers.js';
import { durationText, townshipName, windowName } from '../format.js';
import { categoriesIn } from '../policies.js';
import { KEYPAD } from '../prompts.js';
import { failed, skipStep } from '../retry.js';
import { checkName, checkPlace, modelValue } from '../model-acts.js';
import { dangerSaid, raiseAlarm } from '../safety.js';
import type { DialogState, Step } from '../state.js';
import { say, tellsSomething, type CaseFlow, type Said, type Turn } from '../flow-turn.js';
import { allDigits } from '../understand/digits.js';
import { extractName, extractPhone, extractPhoneLoose, matchPlace, normalizeUtterance } from '../understand/index.js';
import { locateName } from '../understand/name.js';

/**
 * Emergency report (急难): what happened, where, who is affected and how to reach
 * them, whether anyone is in danger now, who is reporting. Kept loose on purpose:
 * any description is accepted, because a rough report now beats a precise one later.
 */

const ORDER = ['what', 'where', 'affected', 'name', 'danger', 'reporter', 'phone'] as const satisfies readonly Step[];
type Item = (typeof ORDER)[number];

function filled(s: DialogState, item: Item): boolean {
  const e = s.emergency;
  switch (item) {
    case 'what':
      return !!e.what;
    case 'where':
      // A township alone ("俺在义堂这边") is a whole town to search: the village is asked.
      return !!(e.villageCode || e.address);
    case 'affected':
      return !!e.affected;
    case 'name':
      return !!s.slots.name;
    case 'danger':
      return e.dangerNow !== undefined;
    case 'reporter':
      return !!e.reporter;
    case 'phone':
      // On sms and voice the caller's number is offered for the call-back (the phone may be about to die, or be
      // borrowed); on WeCom, which shows none, a number is asked.
      return !!s.slots.phone || (!callsFromPhone(s) && !!(e.reporter?.phone || e.contact));
  }
}

function callsFromPhone(s: DialogState): boolean {
  return s.lastChannel === 'sms' || s.lastChannel === 'voice';
}

function isItem(step: Step): step is Item {
  return (ORDER as readonly Step[]).includes(step);
}

function unfilled(s: DialogState): Item[] {
  return ORDER.filter((item) => !filled(s, item));
}

function missing(s: DialogState): Item[] {
  return unfilled(s).filter((item) => !s.skipped.includes(item));
}

const QUESTIONS: Record<Item, Reply> = {
  what: { text: '请简单说一下发生了什么事？' },
  where: { text: '事情发生在哪里？请说镇（街道）、村（社区），或者详细地址。' },
  affected: {
    text: '是谁遇到了困难？他叫什么名字、多大年纪？有电话也可以留一个。',
    expect: { kind: 'any', keypadHint: KEYPAD.phone, finishOnKey: '#' },
  },
  name: { text: '他（她）叫什么名字？如果是您自己，请说您的名字。' },
  phone: { text: '请留一个能联系到您的电话，工作人员好马上回电。', expect: { kind: 'any', keypadHint: KEYPAD.phone, finishOnKey: '#' } },
  danger: {
    text: '现在有没有人有危险，比如受伤、被困、今晚没地方住？请回复"有"或"没有"。',
    expect: { kind: 'any', maxDigits: 1, keypadHint: '有请按1，没有请按2' },
  },
  reporter: { text: '最后，您是当事人本人，还是家属、邻居、村干部？怎么称呼您？' },
};

/** The caller's own number offered for the call-back; a number said instead is taken. */
function confirmQuestion(t: Turn): Reply {
  const masked = maskPhone(nationalPhone(t.ctx.callerPhone ?? ''));
  return {
    text: `工作人员回电就打您现在这个号码 ${masked}，行吗？行就回复"行"；要换号码请直接说号码。`,
    expect: { kind: 'any', keypadHint: '行请按1，换号码请直接输入新号码，输完按井号键', finishOnKey: '#' },
  };
}

function question(t: Turn, item: Item): Reply {
  const township = townshipName(t.ctx.directory, t.s.emergency.townshipCode);
  if (item === 'where' && township) return { text: `在${township}哪个村（社区）？也可以说详细地址。` };
  return { ...QUESTIONS[item] };
}

/** Words an address has: a unit, a road, a number. */
const ADDRESS_MARKERS = /[村镇乡庄屯街路巷号楼栋室区组]|社区|小区|附近|旁边|对面|门口|胡同|市场|医院|学校|车站/;

/** Bare menu words carry no description: "紧急求助" still needs "what happened". */
function describes(text: string): boolean {
  return text.replace(/紧急|求助|急难|救命|我要|我想|帮帮忙|帮忙|报告|请|[的了啊呀吧，。！？!?,.\s\d]/g, '').length >= 2;
}

function absorb(t: Turn, said: Said): void {
  const e = t.s.emergency;
  // The township alone ("俺是汪沟的") leaves the village to be taken from a later message of the same township;
  // asked where, a village of another township named in the answer is the place.
  if (!e.townshipCode || !e.villageCode) {
    const m = matchPlace(said.text, t.ctx.directory);
    if (m.township && (!e.townshipCode || (m.village && (m.township.code === e.townshipCode || t.s.step === 'where')))) {
      e.townshipCode = m.township.code;
      e.villageCode = m.village?.code;
      e.address = (m.address && freeText(m.address)) ?? e.address;
    }
  }
  const phone = extractPhone(said.text);
  // Asked for a call-back number, it is the reporter's; otherwise a number said is how to reach those affected.
  if (phone && (t.s.step === 'phone' || t.s.step === 'phone_confirm')) t.s.slots.phone ??= phone;
  else if (phone && !e.contact) e.contact = phone;
  // "电话就是这个", asked who is in trouble (where a number is invited): the call-back is already settled.
  else if (!phone && t.s.step === 'affected' && callsFromPhone(t.s) && meansCallerNumber(said.text, t.ctx.callerPhone)) {
    t.s.slots.phone ??= nationalPhone(t.ctx.callerPhone ?? '');
  }
  if (said.urgency.lifeDanger) e.dangerNow = true;
  t.s.categories = [...new Set([...t.s.categories, ...categoriesIn(said.text, t.ctx.policies)])];
}

/** Read the message as a bare answer to the current step. False when it failed (and was re-prompted). */
function answer(t: Turn, said: Said, step: Item): boolean {
  const e = t.s.emergency;
  const text = said.text;
  const fail = (why: string) => {
    failed(t, said, why, () => emergency.advance(t), { canSkip: true });
    return false;
  };
  switch (step) {
    case 'what':
      if (!describes(text) || !tellsSomething(said)) return fail('请说说发生了什么，比如"房子着火了"。');
      e.what = freeText(text);
      return true;
    case 'where': {
      // Known places were taken by absorb; a model's reading counts when it is a place of the directory. Words that
      // sound like an address are kept for staff to place; more of the story instead ("门从里头插着…") is added to
      // what happened, and the place asked again.
      const heard = modelValue(said, 'place', checkPlace(said, t.ctx.directory, e.townshipCode));
      if (heard) {
        e.townshipCode = heard.townshipCode;
        e.villageCode = heard.villageCode;
        return true;
      }
      if (!describes(text) || !tellsSomething(said)) return fail('没听明白地点。');
      if (!ADDRESS_MARKERS.test(text)) {
        e.what = freeText([e.what, text].filter(Boolean).join('；'));
        return fail('记下了。还需要知道地点。');
      }
      e.address = freeText(text);
      return true;
    }
    case 'affected':
      if ((!describes(text) && !extractPhone(text)) || !tellsSomething(said)) return fail('没听明白。');
      e.affected = freeText(text);
      t.s.slots.name ??= locateName(normalizeUtterance(text))?.value;
      return true;
    case 'phone': {
      const phone = extractPhone(text) ?? extractPhoneLoose(text);
      if (!phone) return fail('号码好像不对：手机号是11位数字，座机请加区号。');
      t.s.slots.phone = phone;
      return true;
    }
    case 'name': {
      const name = extractName(text, { bareAnswer: true }) ?? modelValue(said, 'name', checkName(said));
      if (!name) return fail('没听清名字。');
      t.s.slots.name = name;
      return true;
    }
    case 'danger': {
      // "有人被困" is a yes even when the generic yes/no reader cannot tell.
      const yes = dangerSaid(said);
      // Not a plain no ("说不好", or a description instead of an answer): a person decides, so flag.
      e.dangerNow = yes ?? true;
      if (yes !== false) {
        const reason = yes ? `来电人称现在有人有危险：${e.what ?? ''}` : `来电人说不清有没有危险，请值班人员确认：${freeText(text)}`;
        raiseAlarm(t, { reason, lifeDanger: yes === true, mentalHealth: false });
      }
      return true;
    }
    case 'reporter': {
      const relation = parseRelation(text, { bare: true });
      const name = extractName(text, { bareAnswer: !relation });
      if (!relation && !name) return fail('没听明白。');
      const phone = t.ctx.callerPhone ? nationalPhone(t.ctx.callerPhone) : undefined;
      e.reporter = { relation, name, phone };
      return true;
    }
  }
}

/**
 * A report a duty officer took over and handed back: the officer talked with the resident and could change the
 * number, so the caller's own stands for the call-back and the report is not held up to ask it.
 */
export function keepCallerNumberAfterStaff(t: Turn): void {
  if (!t.s.slots.phone && callsFromPhone(t.s) && t.ctx.callerPhone && !t.s.skipped.includes('phone')) t.s.slots.phone = nationalPhone(t.ctx.callerPhone);
}

/** Digits enough to be a try at a phone number, not a keypad choice. */
const MIN_NUMBER_ATTEMPT = 7;

/** The answer to the offer of the caller's own number: yes takes it, no asks for another. False when asked again. */
function confirmPhone(t: Turn, said: Said): boolean {
  const text = said.text;
  const yes = meansCallerNumber(text, t.ctx.callerPhone) || yesNo(text);
  if (yes === true) {
    t.s.slots.phone = nationalPhone(t.ctx.callerPhone ?? '');
    return true;
  }
  // Declined, or another number that does not read as one: a number is asked for.
  const tried = yes === undefined && allDigits(text).length >= MIN_NUMBER_ATTEMPT;
  if (yes === false || tried) t.s.step = 'phone';
  if (yes === false) return true;
  failed(t, said, tried ? '号码好像不对：手机号是11位数字，座机请加区号。' : '请回复"行"用这个号码，或直接说其他号码。', () => emergency.advance(t), {
    canSkip: true,
  });
  return false;
}

function submit(t: Turn, confirmed: boolean): void {
  const s = t.s;
  const gaps = unfilled(s);
  // A report sent before the number was settled (silence) is still called back on the number it came from.
  const caller = callsFromPhone(s) && t.ctx.callerPhone && !s.skipped.includes('phone') ? nationalPhone(t.ctx.callerPhone) : undefined;
  t.effects.push({
    type: 'open_case',
    caseType: 'emergency',
    complete: confirmed && gaps.length === 0,
    missing: gaps,
    trackingNumber: s.trackingNumber,
    channel: s.originChannel,
    // The reporter's relation to the people affected is the case's relation (who contacted us for whom).
    fields: {
      applicant: { ...s.slots, phone: s.slots.phone ?? caller, relation: s.relation ?? s.emergency.reporter?.relation },
      consent: s.consent,
      emergency: s.emergency,
    },
    // An emergency is 急难型临时救助 whatever else it turns out to need.
    categoriesHint: [...new Set(['temporary' as const, ...s.categories])],
  });
  s.pendingEffect = { type: 'open_case', confirmed };
}

export const emergency: CaseFlow = {
  noun: '紧急求助',

  enter(t, said) {
    t.s.step = undefined;
    say(t, '好的，我们马上登记紧急情况。');
    if (said) {
      if (describes(said.text)) t.s.emergency.what = freeText(said.text);
      absorb(t, said);
    }
    emergency.advance(t);
  },

  onMessage(t, said) {
    const step = t.s.step;
    absorb(t, said);
    if (step === 'phone_confirm' && !t.s.slots.phone && !confirmPhone(t, said)) return;
    if (step && isItem(step) && !filled(t.s, step) && !answer(t, said, step)) return;
    emergency.advance(t);
  },

  advance(t) {
    const next = missing(t.s)[0];
    if (next) {
      // The caller's own number is offered first; once declined, a number is asked for.
      const offer = next === 'phone' && callsFromPhone(t.s) && !!t.ctx.callerPhone && t.s.step !== 'phone';
      t.s.step = offer ? 'phone_confirm' : next;
      t.replies.push(offer ? confirmQuestion(t) : question(t, next));
      return;
    }
    submit(t, true);
    say(t, '已记下，正在为您登记，请稍候。');
  },

  absorb,
  missing,

  skip(t) {
    const step = t.s.step === 'phone_confirm' ? 'phone' : t.s.step;
    if (step) skipStep(t, step, () => emergency.advance(t));
  },

  submit,

  receipt(t, trackingNumber, contactBy) {
    const { directory } = t.ctx;
    const contact =
      contactBy ??
      `${windowName(directory, t.s.emergency.townshipCode)}将在${durationText(directory.timeLimits.emergencyAidFirst)}内联系您，先行救助`;
    say(t, `紧急求助已登记，承办编号：${trackingNumber}。${contact}。情况有变化请随时拨打${directory.county.window.hotline}。`, {
      hangup: true,
    });
  },
};
