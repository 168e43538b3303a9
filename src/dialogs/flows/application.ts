import { consentIn, freeText, meansCallerNumber, meansThisNumber, nationalPhone, parseRelation, relationOfNamed, yesNo } from '../answers.js';
import { durationText, placeText, windowName } from '../format.js';
import { STEP_LABELS } from '../prompts.js';
import { categoriesIn } from '../policies.js';
import { failed, skipStep } from '../retry.js';
import type { ApplicantSlots, Step } from '../state.js';
import { say, tellsSomething, type CaseFlow, type Said, type Turn } from '../flow-turn.js';
import { allDigits } from '../understand/digits.js';
import {
  countHousehold,
  statesHouseholdTotal,
  extractHouseholdSize,
  extractName,
  extractPhone,
  extractPhoneLoose,
  accountIn,
  extractSlots,
  findIdNumber,
  matchPlace,
  parseChineseInt,
  parseIdNumber,
} from '../understand/index.js';
import { checkHousehold, checkName, checkPlace, checkRelation, modelValue, modelYesNo } from '../model-acts.js';
import { line, missing, nextStep, question, unfilled, type Item } from './application-form.js';
import {
  ANSWERED,
  awaitsNameMismatchAnswer,
  identityRecord,
  needsIdentityCheck,
  noteVerdict,
  readNameMismatchAnswer,
  requestIdentityCheck,
  staffCheckReason,
} from './identity-check.js';
import type { IdentityVerdict, NameMismatchAnswer } from '../state.js';

/**
 * Assistance application: the county's service form, asked one missing item at a
 * time. Every message goes through extractSlots first, so one sentence can fill
 * several items or correct an earlier one at any point.
 */

interface Absorbed {
  /** Items the message set or changed. */
  changed: Item[];
  /** Items it changed that already had a value: corrections to acknowledge. */
  corrected: Item[];
  idError?: string;
}

/** Take whatever the message carries, whatever was asked. */
function absorb(t: Turn, said: Said): Absorbed {
  const s = t.s;
  const { slots, idError } = extractSlots(said.text, t.ctx.directory);
  const relationSaid = parseRelation(said.text, { bare: s.step === 'relation' });
  // Asked for the household, the answer is read as a list of who lives there, not as loose phrases.
  if (s.step === 'householdSize' && !said.alarmed) slots.householdSize = countHousehold(said.text) ?? slots.householdSize;
  else if (!statesHouseholdTotal(said.text)) delete slots.householdSize;
  const out: Absorbed = { changed: [], corrected: [], idError: slots.idNumber ? undefined : idError?.message };
  const note = (item: Item, had: boolean) => {
    if (!out.changed.includes(item)) out.changed.push(item);
    if (had && !out.corrected.includes(item)) out.corrected.push(item);
  };
  const set = <K extends keyof ApplicantSlots>(key: K, value: ApplicantSlots[K] | undefined, item: Item) => {
    if (value === undefined || value === s.slots[key]) return;
    note(item, s.slots[key] !== undefined);
    s.slots[key] = value;
  };
  // The speaker's own name is the applicant's only when they apply for themselves.
  const forOther = (s.relation && s.relation !== '本人') || (relationSaid && relationSaid !== '本人');
  if (!(slots.nameOf === 'speaker' && forOther)) set('name', slots.name, 'name');
  set('idNumber', slots.idNumber, 'idNumber');
  set('householdSize', slots.householdSize, 'householdSize');
  set('phone', slots.phone, 'phone');
  if (slots.townshipCode || slots.villageCode || slots.address) applyPlace(t, slots, note);

  if (!s.slots.reason && slots.reason && !namesOnlyTheRequest(slots.reason)) {
    s.slots.reason = freeText(slots.reason);
    note('reason', false);
  }
  if (relationSaid && relationSaid !== s.relation) {
    note('relation', !!s.relation);
    s.relation = relationSaid;
  } else if (!s.relation && s.step === 'name' && slots.nameOf === 'speaker' && s.slots.name === slots.name) {
    // Asked the applicant's name, "俺叫…" gives the speaker's own: they apply for themselves.
    s.relation = '本人';
    note('relation', false);
  } else if (!s.relation && s.step === 'name' && slots.nameOf === 'other' && s.slots.name === slots.name) {
    // "我爸叫高立民": the one named is the speaker's father, so they apply for him.
    const named = relationOfNamed(said.text);
    if (named) {
      s.relation = named;
      note('relation', false);
    }
  }
  s.categories = [...new Set([...s.categories, ...categoriesIn(said.text, t.ctx.policies)])];
  return out;
}

/** A new township invalidates the village and address that belonged to the old one. */
function applyPlace(t: Turn, p: Pick<ApplicantSlots, 'townshipCode' | 'villageCode' | 'address'>, note: (item: Item, had: boolean) => void): void {
  const s = t.s.slots;
  const before = placeText(t.ctx.directory, s);
  if (p.townshipCode && p.townshipCode !== s.townshipCode) {
    s.townshipCode = p.townshipCode;
    s.villageCode = undefined;
    s.address = undefined;
  }
  if (p.villageCode) s.villageCode = p.villageCode;
  if (p.address) s.address = freeText(p.address);
  const after = placeText(t.ctx.directory, s);
  if (after !== before) note('place', before !== '');
}

/** Read the message as a bare answer to the current step. False when it failed (and was re-prompted). */
function answer(t: Turn, said: Said, step: Step): boolean {
  const s = t.s;
  const text = said.text;
  const fail = (why: string) => {
    failed(t, said, why, () => application.advance(t), { canSkip: true });
    return false;
  };
  switch (step) {
    case 'reason':
      if (text.length < 2 || !tellsSomething(said)) return fail('请用一两句话说说遇到的困难，比如"老伴生病住院，家里没有收入"。');
      // "想申请救助" says what is wanted, not what happened: ask once for the story.
      if (namesOnlyTheRequest(text) && !s.retries.reason) {
        s.retries.reason = 1;
        say(t, '好的。能具体说说家里遇到了什么困难吗？比如谁生病了、没有收入、房子坏了。');
        return false;
      }
      s.slots.reason = freeText(text);
      return true;
    case 'name': {
      const name = extractName(text, { bareAnswer: true }) ?? modelValue(said, 'name', checkName(said));
      if (!name) return fail('没听清名字，请再说一遍，比如"王秀英"。');
      s.slots.name = name;
      return true;
    }
    case 'idNumber': {
      const id = parseIdNumber(text);
      if (!id.ok) return fail(id.message);
      s.slots.idNumber = id.value;
      return true;
    }
    case 'householdSize': {
      const n = countHousehold(text) ?? extractHouseholdSize(text) ?? parseChineseInt(text) ?? modelValue(said, 'householdSize', checkHousehold);
      if (n === undefined || n < 1 || n > 30) return fail('请说家里一共几口人，比如"三口人"，或回复数字3。');
      s.slots.householdSize = n;
      return true;
    }
    case 'place': {
      // Places are read by extractSlots in absorb; here none was recognised. A model's reading counts when it is a
      // place of the directory; within a known township the words are kept as the address otherwise.
      const heard = modelValue(said, 'place', checkPlace(said, t.ctx.directory, s.slots.townshipCode));
      if (heard) {
        applyPlace(t, heard, () => undefined);
        return true;
      }
      if (!s.slots.townshipCode) return fail('没有找到这个地方。请说镇（街道）和村（社区）的名字，比如"枣园镇东鲁村"。');
      if (text.length < 2 || !tellsSomething(said)) return fail('请说村（社区）的名字，或者详细地址。');
      s.slots.address = freeText(text);
      return true;
    }
    case 'phone_confirm': {
      const yes = meansCallerNumber(text, t.ctx.callerPhone) || yesNo(text);
      // Another number that does not read as one ("幺三八…" with a digit too many): asked for it as a number.
      if (yes === undefined && allDigits(text).length >= MIN_NUMBER_ATTEMPT) {
        s.step = 'phone';
        return fail('号码好像不对：手机号是11位数字，座机请加区号。');
      }
      if (yes === undefined) return fail('请回复"是"用这个号码，或直接输入其他号码。');
      if (yes) s.slots.phone = nationalPhone(t.ctx.callerPhone ?? '');
      else s.step = 'phone';
      return true;
    }
    case 'phone': {
      const thisNumber = meansThisNumber(text);
      const phone = extractPhone(text) ?? extractPhoneLoose(text) ?? (t.ctx.callerPhone && thisNumber ? nationalPhone(t.ctx.callerPhone) : undefined);
      if (!phone && thisNumber && !t.ctx.callerPhone) {
        // On WeCom there is no caller number to take. Said twice, staff reach the resident in the chat instead.
        if (s.retries.phone) {
          skipStep(t, 'phone', () => application.advance(t));
          return false;
        }
        return fail('在微信里我们看不到您的手机号。请把号码直接发过来，比如"138 1234 5678"；不方便留电话就回复"跳过"');
      }
      if (!phone) return fail('号码好像不对：手机号是11位数字，座机请加区号。');
      s.slots.phone = phone;
      return true;
    }
    case 'relation': {
      const relation = parseRelation(text, { bare: true }) ?? modelValue(said, 'relation', checkRelation);
      if (!relation) return fail('没听明白您和申请人的关系。');
      s.relation = relation;
      return true;
    }
    case 'identity_check': {
      // "我名字说错了，叫刘桂兰": the name given again is checked in its turn.
      const renamed = SAYS_WRONG.test(text) && /名字|姓名|叫/.test(text) ? newValueIn('name', text) : undefined;
      if (typeof renamed === 'string' && renamed !== s.slots.name) {
        s.slots.name = renamed;
        say(t, `好的，已更正：${line(t, 'name')}。`);
        return true;
      }
      const reading = readNameMismatchAnswer(text);
      if (!reading) return fail('请回复1、2或3：1 是同一个人，名字以这次说的为准；2 身份证号说错了；3 不是同一个人。');
      if (reading === 'id_wrong' && !s.identityCheck?.idRetold) {
        // The number is asked again; the new one is checked in its turn.
        s.slots.idNumber = undefined;
        s.identityCheck = { idRetold: true };
        say(t, '好的，我们把身份证号重新记一下。');
        return true;
      }
      // A number said to be wrong a second time is kept as given: staff check it.
      answerMismatch(t, reading === 'id_wrong' ? 'unsure' : reading);
      return true;
    }
    case 'consent': {
      const given = consentIn(text) ?? modelYesNo(said);
      if (given === undefined) return fail('请回复"同意"或"不同意"。');
      s.consent = { given, at: t.at, channel: said.channel };
      // Refusal is recorded, not a dead end: the application goes on and staff explain what it means.
      if (!given) say(t, '已记下您不同意授权。申请照样提交，工作人员会跟您说明：不授权核对可能影响审核。');
      return true;
    }
    default:
      throw new Error(`application has no step ${step}`);
  }
}

/** Digits enough to be a try at a phone number, not a keypad choice. */
const MIN_NUMBER_ATTEMPT = 7;

/** Request words: what is left of "想申请个救助" says nothing of the hardship or the kind of help. */
const REQUEST_WORDS = /想|要|申请|办理?|一下|救助|补助|补贴|帮扶|帮助|帮帮|政府|给|个|我|俺|咱|们|家|的|了|吧|啊|呀|呢|那个|就是|你好|您好|[，。！？、\s]/g;

function namesOnlyTheRequest(text: string): boolean {
  return text.replace(REQUEST_WORDS, '').length < 2;
}

/** How residents name an item of the read-back when they say it is wrong. */
const ITEM_NAMES: ReadonlyArray<readonly [Item, RegExp]> = [
  ['idNumber', /身份证|证号/],
  ['phone', /电话|手机|号码/],
  ['householdSize', /几口|口人|人口|人数/],
  ['name', /名字|姓名/],
  // "村子不对", "镇写错了": the place named by its kind.
  ['place', /地址|住址|门牌|哪个村|村名|村子|镇子|社区|街道|住的地方|(?:村|镇|乡)(?=不对|错|写错|说错|弄错|不是)/],
  ['relation', /替谁|关系|代办|申请方式|不是本人|不是我自己/],
  ['consent', /授权|核对|查询/],
  ['reason', /困难情况|原因|事由|情况写/],
];
const NOTHING_WRONG = /没(?:有)?(?:啥|什么)?错|不错/g;
const SAYS_WRONG = /不对|错了|不是|改一下|改成|改为|应该是|弄错|写错|说错|记错|有误/;

function atSummary(t: Turn, said: Said): void {
  const text = said.text;
  // "对是对，就是门牌号不对": a yes with a correction is a correction.
  // "没错了" says nothing is wrong.
  const wrong = SAYS_WRONG.test(text.replace(NOTHING_WRONG, ''));
  const named = wrong ? ITEM_NAMES.find(([, re]) => re.test(text))?.[0] : undefined;
  if (named) return reopen(t, named, text);
  const heard = wrong ? false : yesNo(text);
  // No item named and no plain yes: a correction the model read, if it passes the item's check.
  if (heard !== true && modelCorrection(t, said)) return application.advance(t);
  const yes = heard ?? modelYesNo(said);
  if (yes) {
    submit(t, true);
    say(t, '好的，正在为您提交申请，请稍候。');
  } else if (yes === false && (t.s.retries.summary ?? 0) < 2) {
    // Asked which item twice without one named: the repair policy takes over, as for any unclear answer.
    t.s.retries.summary = (t.s.retries.summary ?? 0) + 1;
    say(t, '请直接告诉我哪一项不对，比如"不对，是四口人"或"名字是王秀云"。');
  } else {
    failed(t, said, '没听明白。', () => application.advance(t), { canSkip: false });
  }
}

/** A correction a model read at the read-back, checked like an answer to its item; said back and applied. */
function modelCorrection(t: Turn, said: Said): boolean {
  const s = t.s;
  const fix = (item: Item, apply: () => void) => {
    apply();
    say(t, `好的，已更正：${line(t, item)}。`);
    return true;
  };
  const name = modelValue(said, 'name', checkName(said), 'correct');
  if (name !== undefined) return fix('name', () => (s.slots.name = name));
  const size = modelValue(said, 'householdSize', checkHousehold, 'correct');
  if (size !== undefined) return fix('householdSize', () => (s.slots.householdSize = size));
  const relation = modelValue(said, 'relation', checkRelation, 'correct');
  if (relation !== undefined) return fix('relation', () => (s.relation = relation));
  const place = modelValue(said, 'place', checkPlace(said, t.ctx.directory), 'correct');
  if (place !== undefined) return fix('place', () => applyPlace(t, place, () => undefined));
  return false;
}

/**
 * The resident named an item that is wrong without giving the new value in a form the
 * extractors read: take what can be read, otherwise clear the item and ask it again.
 */
function reopen(t: Turn, item: Item, text: string): void {
  const s = t.s;
  if (item === 'consent' && /不同意|不授权|不让查|别查/.test(text)) {
    s.consent = { given: false, at: t.at, channel: s.lastChannel };
    say(t, `好的，已更正：${line(t, 'consent')}。`);
    return application.advance(t);
  }
  if (item === 'place' && s.slots.townshipCode) {
    const detail = /(?:是|为|在)([^，。！？]*?\d+[^，。！？]*?)$/.exec(text)?.[1];
    if (detail) {
      const township = t.ctx.directory.townships.find((x) => x.code === s.slots.townshipCode);
      const village = township?.villages.find((v) => v.code === s.slots.villageCode)?.name ?? '';
      s.slots.address = freeText(`${village}${detail}`);
      say(t, `好的，已更正：${line(t, 'place')}。`);
      return application.advance(t);
    }
  }
  const moved = item === 'place' ? newPlaceIn(t, text) : undefined;
  if (moved) {
    applyPlace(t, moved, () => undefined);
    say(t, `好的，已更正：${line(t, 'place')}。`);
    return application.advance(t);
  }
  // "名字错了一个字，是珍珠的珍，刘玉珍": the new value is often in the same message, last.
  const value = newValueIn(item, text);
  if (value !== undefined) {
    setItem(s, item, value);
    say(t, `好的，已更正：${line(t, item)}。`);
    return application.advance(t);
  }
  clear(s, item);
  say(t, `好的，我们把${item === 'relation' ? '申请方式' : STEP_LABELS[item]}重新记一下。`);
  application.advance(t);
}

/** Bare readings of the items whose new value a correction may carry. */
const READERS: Partial<Record<Item, (clause: string) => string | number | undefined>> = {
  name: (c) => extractName(c, { bareAnswer: true }),
  householdSize: countHousehold,
  phone: extractPhone,
  idNumber: (c) => {
    const id = findIdNumber(c);
    return id?.ok ? id.value : undefined;
  },
};

/** The clauses after the one saying it is wrong, the last first: where a correction's new value is. */
function clausesAfterWrong(text: string): string[] {
  const clauses = text.split(/[，,。；;\s]/).filter(Boolean);
  return clauses.slice(clauses.findIndex((c) => SAYS_WRONG.test(c)) + 1).reverse();
}

/** "村子不对，是西鲁": the new place, said in full or as a village of the township already given. */
function newPlaceIn(t: Turn, text: string): Pick<ApplicantSlots, 'townshipCode' | 'villageCode'> | undefined {
  const s = t.s.slots;
  const township = t.ctx.directory.townships.find((x) => x.code === s.townshipCode)?.name ?? '';
  for (const clause of clausesAfterWrong(text)) {
    const said = matchPlace(clause, t.ctx.directory);
    const within = said.township ? said : matchPlace(`${township}${clause}`, t.ctx.directory);
    const village = within.village?.code;
    if (village && village !== s.villageCode) return { townshipCode: within.township?.code, villageCode: village };
  }
  return undefined;
}

/** The corrected value, read from the clauses after the one saying it is wrong, the last first. */
function newValueIn(item: Item, text: string): string | number | undefined {
  const read = READERS[item];
  if (!read) return undefined;
  const clauses = clausesAfterWrong(text);
  // "人数写错了，应该是三口，我把儿子忘了，他跟着爷爷奶奶住": a total said outright beats a count of who is named.
  const total = item === 'householdSize' ? clauses.find((c) => statesHouseholdTotal(c)) : undefined;
  if (total) return read(total);
  for (const clause of clauses) {
    const value = read(clause);
    if (value !== undefined) return value;
  }
  return undefined;
}

function setItem(s: Turn['s'], item: Item, value: string | number): void {
  if (item === 'householdSize') s.slots.householdSize = Number(value);
  else if (item === 'name' || item === 'phone' || item === 'idNumber') s.slots[item] = String(value);
}

function clear(s: Turn['s'], item: Item): void {
  switch (item) {
    case 'place':
      s.slots.townshipCode = undefined;
      s.slots.villageCode = undefined;
      s.slots.address = undefined;
      return;
    case 'relation':
      s.relation = undefined;
      return;
    case 'consent':
      s.consent = undefined;
      return;
    default:
      s.slots[item] = undefined;
  }
  s.skipped = s.skipped.filter((x) => x !== item);
}

/** Emit open_case. Unconfirmed or with gaps it is incomplete and staff finish it by phone. */
function submit(t: Turn, confirmed: boolean): void {
  const s = t.s;
  const gaps = unfilled(s);
  t.effects.push({
    type: 'open_case',
    caseType: 'application',
    complete: confirmed && gaps.length === 0,
    missing: gaps,
    trackingNumber: s.trackingNumber,
    channel: s.originChannel,
    fields: { applicant: { ...s.slots, relation: s.relation }, consent: s.consent },
    categoriesHint: s.categories.length > 0 ? s.categories : undefined,
    identityCheck: identityRecord(s),
  });
  s.pendingEffect = { type: 'open_case', confirmed };
}

/** Receipt for a confirmed application: tracking number, who calls, how long. */
function receipt(t: Turn, trackingNumber: string, contactBy: string | undefined): void {
  const { directory } = t.ctx;
  const s = t.s;
  const primary = directory.categories.find((c) => s.categories.includes(c.code));
  const approval = durationText(primary?.approval ?? directory.timeLimits.approval);
  const contact = contactBy ?? `${windowName(directory, s.slots.townshipCode)}会在${durationText(directory.timeLimits.transfer)}内联系您，核实家庭情况`;
  const gaps = unfilled(s).length > 0 ? '还差的信息，工作人员会打电话跟您核实。' : '';
  say(
    t,
    `申请已提交，承办编号：${trackingNumber}，请记好。${contact}。审核审批一般在${approval}内完成，结果会通知您。${gaps}查询进度请回复3或拨打${directory.county.window.hotline}。`,
    { hangup: true },
  );
}

export const application: CaseFlow = {
  noun: '申请',

  enter(t, said) {
    t.s.step = undefined;
    if (said) {
      // The first message is the resident's account as a whole ("上礼拜大风把屋顶掀了，能申请不？"), not only its need words.
      const account = accountIn(said.text, t.ctx.directory);
      if (!t.s.slots.reason && account && !namesOnlyTheRequest(account) && tellsSomething(said)) t.s.slots.reason = freeText(account);
      const { idError } = absorb(t, said);
      if (idError) return idFailed(t, said, idError);
    }
    application.advance(t);
  },

  onMessage(t, said) {
    const step = t.s.step;
    const { changed, corrected, idError } = absorb(t, said);
    if (idError) return idFailed(t, said, idError);
    // Asked about the name, the resident gave the number again: that says the number was wrong.
    if (step === 'identity_check' && changed.includes('idNumber') && t.s.identityCheck) t.s.identityCheck.idRetold = true;
    if (corrected.length > 0) say(t, `好的，已更正：${corrected.map((i) => line(t, i)).join('，')}。`);
    // The message that first raised an alarm ("我刚把安眠药喝了") answers no form question: the question stands.
    if (said.alarmed && changed.length === 0 && step !== 'reason') return application.advance(t);
    if (step === 'summary' && changed.length === 0) return atSummary(t, said);
    // A message that filled or corrected something is not also read as a bare answer to the question,
    // except that the reason step keeps the resident's words whole unless they were the form's other answers.
    const bare = changed.length === 0 || (step === 'reason' && !changed.includes('name') && !changed.includes('idNumber'));
    if (step && bare && !answer(t, said, step)) return;
    // "胡玉兰，柳青街道柳青社区的": asked the name, it came with another item; a clause that is only a name answers.
    if (step === 'name' && !bare && !t.s.slots.name) t.s.slots.name = extractName(said.text, { bareAnswer: true });
    application.advance(t);
  },

  advance(t) {
    // An ID number and name not checked yet are checked first (the runner answers with identity_checked).
    if (!t.s.safety.pending && needsIdentityCheck(t.s)) return requestIdentityCheck(t);
    t.s.step = !t.s.safety.pending && awaitsNameMismatchAnswer(t.s) ? 'identity_check' : nextStep(t);
    t.replies.push(question(t, t.s.step));
  },

  absorb(t, said) {
    absorb(t, said);
  },

  missing,

  skip(t) {
    if (t.s.step === 'identity_check') {
      answerMismatch(t, 'unsure');
      return application.advance(t);
    }
    const step = t.s.step === 'phone_confirm' ? 'phone' : t.s.step;
    if (step && step !== 'summary') skipStep(t, step, () => application.advance(t));
    else application.advance(t);
  },

  submit,
  receipt,
};

/** What the ID number's record says of the name: the question when it is another name, else on with the form. */
export function identityChecked(t: Turn, verdict: IdentityVerdict): void {
  noteVerdict(t.s, verdict);
  application.advance(t);
}

/** The resident's answer to the name question, recorded; staff are asked to check unless it is the same person. */
function answerMismatch(t: Turn, answer: NameMismatchAnswer): void {
  const check = t.s.identityCheck;
  if (!check) return;
  check.answer = answer;
  say(t, ANSWERED[answer]);
  if (answer !== 'same_person') t.effects.push({ type: 'callback_task', reason: staffCheckReason(answer, !!check.idRetold) });
}

/** A wrong ID anywhere in a message: explain what is wrong and ask for it now. */
function idFailed(t: Turn, said: Said, why: string): void {
  t.s.step = 'idNumber';
  // Once the item is left for the call-back, the form goes on rather than asking it again.
  const ask = () => (t.s.skipped.includes('idNumber') ? application.advance(t) : t.replies.push(question(t, 'idNumber')));
  failed(t, said, why, ask, { canSkip: true });
}
