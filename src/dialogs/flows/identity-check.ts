import type { Reply } from '../../domain/messages.js';
import type { OpenCase } from '../effects.js';
import { ONE_KEY } from '../prompts.js';
import type { DialogState, IdentityVerdict, NameMismatchAnswer } from '../state.js';
import type { Turn } from '../flow-turn.js';

/**
 * The same ID number under another name (item 14 of issue 14): before a case is submitted, the ID number and name are
 * checked against the names that number was registered under. The check is the runner's (a `check_identity` effect,
 * answered with an `identity_checked` event carrying a verdict only); this module decides when to ask for it, asks the
 * resident, reads the answer, and says what goes on the case. Nothing of the earlier record (its name, its place, its
 * case) is ever said to the resident: only that the names differ.
 */

/** The check of the number and name the slots hold now, if one was made. */
function current(s: DialogState) {
  const c = s.identityCheck;
  return c && c.verdict && c.idNumber === s.slots.idNumber && c.name === s.slots.name ? c : undefined;
}

/** Both an ID number and a name are known, and this pair was not checked yet. */
export function needsIdentityCheck(s: DialogState): boolean {
  return !!s.slots.idNumber && !!s.slots.name && !current(s);
}

/** The pair is registered under another name and the resident has not answered the question yet. */
export function awaitsNameMismatchAnswer(s: DialogState): boolean {
  const c = current(s);
  return c?.verdict === 'other_name' && !c.answer;
}

/** Asks the runner to check the pair; the dialog waits for identity_checked. */
export function requestIdentityCheck(t: Turn): void {
  const { idNumber, name } = t.s.slots;
  if (!idNumber || !name) throw new Error('an identity check needs an ID number and a name');
  t.effects.push({ type: 'check_identity', idNumber, name });
  t.s.pendingEffect = { type: 'check_identity' };
}

/** Keeps the verdict for the pair checked (a number given again keeps that it was). */
export function noteVerdict(s: DialogState, verdict: IdentityVerdict): void {
  const idRetold = s.identityCheck?.idRetold;
  s.identityCheck = { idNumber: s.slots.idNumber, name: s.slots.name, verdict, ...(idRetold ? { idRetold } : {}) };
}

/** The question; it says the names differ and nothing more. */
export const NAME_MISMATCH_QUESTION: Reply = {
  text: '这个身份证号之前登记过，登记的名字和您这次说的不一样。是名字写错了或改过名，还是身份证号说错了？请回复：1 是同一个人，名字以这次说的为准；2 身份证号说错了，重新说；3 不是同一个人。不清楚也可以直接说"不清楚"。',
  speech: '这个身份证号之前登记过，登记的名字和您这次说的不一样。是同一个人、名字以这次为准，请按1；身份证号说错了，请按2；不是同一个人，请按3；不清楚请按4。',
  expect: ONE_KEY,
};

export type MismatchReading = NameMismatchAnswer | 'id_wrong';

const KEYS: Record<string, MismatchReading> = { '1': 'same_person', '2': 'id_wrong', '3': 'different_person', '4': 'unsure' };

/** Most telling first: "号码说错了" names the number, "不是同一个人" denies before "同一个人" affirms. */
const READINGS: ReadonlyArray<readonly [MismatchReading, RegExp]> = [
  ['id_wrong', /(?:身份证|证号|号码|号)[^，。！？]{0,5}(?:错|不对|岔|有误)|(?:说|报|念|输|按|记|写)错(?:了)?(?:身份证|号)|重新(?:说|报|输)(?:一下|一遍)?(?:号|身份证)?$|换个号|再说一遍号/],
  ['different_person', /不是(?:同一|一)个?人|不是一回事|不是(?:我|他|她|俺|咱|本人|一家)|两个人|另(?:外)?一个人|别人(?:的)?|不认识/],
  ['unsure', /不清楚|不知道|不晓得|不确定|说不好|说不准|搞不清|闹不清|弄不清|记不清|不太懂|不明白/],
  [
    'same_person',
    /同一个?人|一个人|就是(?:我|他|她|俺|本人)|是(?:我|他|她|俺)(?:本人|自己)?$|本人|改(?:过|了)?名|曾用名|小名|(?:名字|名|姓名)[^，。！？]{0,6}(?:错|不对|岔|有误|不一样|改)|以(?:这次|这回|现在|我说)的?(?:为准|名字)?|为准/,
  ],
];

/** The answer to NAME_MISMATCH_QUESTION in the resident's words or keys; undefined when it says none of them. */
export function readNameMismatchAnswer(text: string): MismatchReading | undefined {
  const t = text.replace(/\s+/g, '');
  const key = /^[（(]?([1-4])[)）.。]?$/.exec(t)?.[1] ?? /^(?:选|按|回复)?([1-4])(?:号)?$/.exec(t)?.[1];
  if (key) return KEYS[key];
  // "号没错，是名字写错了": what is said to be right is no answer.
  const claims = t.replace(/(?:身份证号?|证号|号码|号|名字|姓名|名)[^，。！？,]{0,3}(?:没错|没有错|没问题|是对的|对的|不错)/g, '，');
  return READINGS.find(([, re]) => re.test(claims))?.[0];
}

/** What the resident is told their answer leads to. */
export const ANSWERED: Record<NameMismatchAnswer, string> = {
  same_person: '好的，记下了：是同一个人，名字以这次说的为准。',
  different_person: '好的，记下了：不是同一个人。这次申请单独登记，工作人员会核实身份证号，可能会打电话跟您确认。',
  unsure: '好的，记下了。这次申请先单独登记，工作人员会核实身份，可能会打电话跟您确认。',
};

/** The duty task for staff when the resident did not say it is the same person. */
export function staffCheckReason(answer: Exclude<NameMismatchAnswer, 'same_person'>, idRetold: boolean): string {
  const said = answer === 'different_person' ? '居民称不是同一个人' : idRetold ? '居民重新报号后仍不一致，说不清' : '居民说不清';
  return `身份证号此前登记的姓名与本次申请不同，${said}，未并单，请回电核实身份`;
}

/** What goes on the case about the check: only when a number was registered under another name. */
export function identityRecord(s: DialogState): OpenCase['identityCheck'] {
  const c = s.identityCheck;
  if (!c) return undefined;
  const mismatch = !!current(s) && c.verdict === 'other_name';
  if (!mismatch && !c.idRetold) return undefined;
  return { mismatch, ...(mismatch && c.answer ? { answer: c.answer } : {}), ...(c.idRetold ? { idRetold: true } : {}) };
}
