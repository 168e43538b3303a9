import type { Reply } from '../../domain/messages.js';
import { nationalPhone, readTrackingNumber } from '../answers.js';
import { dateText } from '../format.js';
import { KEYPAD } from '../prompts.js';
import { repairActs } from '../model-acts.js';
import { failed } from '../retry.js';
import type { ProgressCase, Step } from '../state.js';
import { say, type FlowHandler, type Said, type Turn } from '../flow-turn.js';
import { handOver } from './handover.js';
import { findDigitRuns } from '../understand/digits.js';
import { extractPhone, findIdNumber, parseYesNo } from '../understand/index.js';
import { KINSHIP } from '../understand/kinship.js';

/** Progress enquiry: by tracking number, or by phone plus the last four ID characters. */

const QUESTIONS: Partial<Record<Step, Reply>> = {
  progress_key: {
    text: '请告诉我承办编号（短信或回执上的12位数字，比如2612 0734 5163）。没有编号请回复"没有"，我们用手机号和身份证后四位帮您查。',
    expect: { kind: 'any', keypadHint: KEYPAD.trackingNumber, finishOnKey: '#' },
  },
  progress_phone: { text: '请告诉我申请时留的手机号。', expect: { kind: 'any', keypadHint: KEYPAD.phone, finishOnKey: '#' } },
  progress_last4: { text: '请告诉我申请人身份证号的最后四位。', expect: { kind: 'any', keypadHint: KEYPAD.last4, finishOnKey: '#' } },
};

function ask(t: Turn, step: Step): void {
  t.s.step = step;
  const q = QUESTIONS[step];
  if (q) t.replies.push({ ...q });
}

/** The check digit caught a slip: said before anything is looked up, so a typo neither misses nor counts as a guess. */
const MISTYPED = '这个编号核对不上，可能有一位数字输错了，或者两位前后颠倒了。请对照短信或回执再说一遍。';

/** No number at hand: where it is, so one found later can still be given at any question, and the other way to search. */
const WHERE_THE_NUMBER_IS = '没关系。承办编号在申请后收到的短信或回执上，找到了随时告诉我。我们先用手机号和身份证后四位帮您查。';

/** Neither the number nor the other key: nothing to search by, so a person looks it up instead of a loop of prompts. */
const CANNOT_LOOK_UP = {
  progress_phone: '没有承办编号，也说不上申请时留的手机号，我这里查不到您的申请。',
  progress_last4: '没有承办编号，也说不上身份证后四位，我这里查不到您的申请。',
} as const;

/** Said to words with no number in them ("给个痛快话"): they answer nothing, and the number is what gets the answer. */
const WHY_THE_NUMBER = '查进度要先找到您的申请，查到了就能告诉您办到哪一步、什么时候有结果。';

function lookup(t: Turn, query: { trackingNumber?: string; phone?: string; idLast4?: string }): void {
  t.effects.push({ type: 'lookup_progress', ...query });
  t.s.pendingEffect = { type: 'lookup_progress' };
  say(t, '正在为您查询，请稍候。');
}

/** The number to search by: the one typed in this flow, else the one calling. */
function phoneOf(t: Turn): string | undefined {
  return t.s.progressQuery.phone ?? (t.ctx.callerPhone ? nationalPhone(t.ctx.callerPhone) : undefined);
}

function last4In(text: string): string | undefined {
  const id = findIdNumber(text);
  if (id?.ok) return id.value.slice(-4);
  return /^\d{3}[\dX]$/i.exec(text.replace(/\s/g, ''))?.[0].toUpperCase();
}

/** A group of four digits or more is a try at the number asked for; fewer ("等了20天", "问了三回") are words about something else. */
function triesANumber(text: string): boolean {
  return findDigitRuns(text, true).some((run) => run.digits.length >= 4);
}

/** "没有编号", "没收到短信", "俺没有那个号": none of what the questions ask for; "还没有消息" is not about it. */
const HAS_NONE = /没(?:有)?(?:收到)?(?:那个|这个)?(?:编号|单号|号码?|单子|回执|短信|身份证)/;

/**
 * Still looking ("俺找找", "恁等会儿", "我去翻翻"), or about to ask whoever has it ("单子找不着了 俺问问俺儿"):
 * "不知道放哪了", "找不着了" said beside it is no "none" yet.
 */
const LOOKING = new RegExp(
  `(找|翻|寻)\\1|(?:找|翻)一?(?:下|找|翻)|等(?:一)?(?:会儿?|下)|稍等|(?:我|俺)去(?:找|拿|翻)|问(?:问|一下|下)?(?:俺|我)?家?的?(?:家里人|村里|村上|村委|社区|网格员|${KINSHIP.source})`,
);
/** "恁给俺找找": the resident asks us to look, which is not looking themselves. */
const ASKS_US_TO_LOOK = /(?:你|您|恁)们?(?:给|帮)?(?:俺|我)?们?(?:找|翻|查)/;

/** "啥号？", "什么编号", "编号是啥": the resident does not know what number is meant, which is no "I have none". */
const ASKS_WHICH_NUMBER = /(?:啥|什么|哪个|哪)(?:号|编号|单号)|(?:编号|单号)是(?:啥|什么)|什么是(?:承办)?编号/;

/**
 * Filed by someone else ("是村里帮我交的", "俺闺女给报的"): the number went to whoever filed it, on their phone or
 * slip, and a search by the caller's phone may miss it, so pointing there comes before the other way to search.
 * "我给我妈申请的" names whom it was for, not who filed it.
 */
const FILED = '(?:交|报|办|申请|申|递|弄|填)(?:上去|上)?(?:了|的)';
const FILED_BY_OTHERS = new RegExp(
  `(?:帮|替|给)(?:俺|我|咱)们?${FILED}|(?<![给帮替为][俺我咱]?)(?:村里|村上|村委|社区|网格员|别人|${KINSHIP.source})[^，。？]{0,6}?${FILED}`,
);

const TAKE_YOUR_TIME = '好的，不着急，您慢慢找，也可以问问帮您办的人。找到了就告诉我；实在找不着，回复"没有"，我们换个办法查。';
const WHAT_THE_NUMBER_IS =
  '承办编号是申请登记后发到短信里、或者印在回执上的12位数字。家里人或者村里帮您办的，编号在他们收到的短信或者给您的条子上，可以问问他们。找到了就告诉我；实在没有，回复"没有"，我们换个办法查。';

/** Times a step waits for the resident to look, or explains the number, before a plain answer is read as one. */
const MAX_WAITS = 2;

/**
 * Said while looking for the number, or unsure what it is: not "none" yet, so the same question is asked again
 * with where the number is (a "没有" then still goes to the other way to search). Counted with the step's retries,
 * so it cannot loop.
 */
function waitForNumber(t: Turn, said: Said, step: 'progress_key' | 'progress_phone' | 'progress_last4'): boolean {
  const text = said.text;
  // "等一下，我没有编号" says none: only "don't know where it is" gives way to looking.
  const looking = LOOKING.test(text) && !ASKS_US_TO_LOOK.test(text) && !HAS_NONE.test(text) && parseYesNo(text) !== false;
  const unsure = step === 'progress_key' && (ASKS_WHICH_NUMBER.test(text) || FILED_BY_OTHERS.test(text));
  const n = t.s.retries[step] ?? 0;
  if ((!looking && !unsure) || n >= MAX_WAITS || repairActs(said).askPerson) return false;
  t.s.retries[step] = n + 1;
  t.s.step = step;
  t.replies.push({ text: unsure ? WHAT_THE_NUMBER_IS : TAKE_YOUR_TIME, expect: QUESTIONS[step]!.expect });
  return true;
}

/** "没有", "不知道啥号", "不清楚": the resident has not got what was asked for. */
function hasNone(said: Said): boolean {
  return repairActs(said).dontKnow || parseYesNo(said.text) === false || HAS_NONE.test(said.text);
}

export const progress: FlowHandler & { onResult: (t: Turn, cases: ProgressCase[]) => void } = {
  enter(t, said) {
    const reading = said && readTrackingNumber(said.text);
    if (reading?.kind === 'number') return lookup(t, { trackingNumber: reading.value });
    if (reading?.kind === 'mistyped') say(t, MISTYPED);
    ask(t, 'progress_key');
  },

  onMessage(t, said) {
    const text = said.text;
    const step = t.s.step;
    if (step !== 'progress_key' && step !== 'progress_phone' && step !== 'progress_last4') return progress.advance(t);
    const fail = (why: string) => failed(t, said, why, () => progress.advance(t), { canSkip: false });
    // An ID number said in full comes first: twelve of its digits can read as a tracking number.
    const idLast4 = step === 'progress_last4' ? last4In(text) : undefined;
    if (idLast4) return lookup(t, { phone: phoneOf(t), idLast4 });
    // A tracking number is taken at any question: found after "没有", it is still the surest key.
    const reading = readTrackingNumber(text);
    if (reading?.kind === 'number') return lookup(t, { trackingNumber: reading.value });
    if (reading?.kind === 'mistyped') return fail(MISTYPED);
    if (waitForNumber(t, said, step)) return;
    if (hasNone(said)) {
      if (step === 'progress_key') {
        say(t, WHERE_THE_NUMBER_IS);
        return ask(t, phoneOf(t) ? 'progress_last4' : 'progress_phone');
      }
      say(t, CANNOT_LOOK_UP[step]);
      return handOver(t, 'stuck', '居民没有承办编号，也说不上查询用的手机号或身份证后四位，请帮其查询进度');
    }
    const phone = step === 'progress_phone' ? extractPhone(text) : undefined;
    if (phone) {
      t.s.progressQuery.phone = phone;
      return ask(t, 'progress_last4');
    }
    // Words with no number ("快着点行不行", "还得等几天 俺都等了15天了") are a remark or a question back, not a wrong number:
    // the repair policy answers a question it knows, and asks again.
    if (!triesANumber(text)) return fail(WHY_THE_NUMBER);
    if (step === 'progress_key') return fail('没有认出编号。编号是12位数字，前6位是登记日期（年月日），比如2612 0734 5163。');
    if (step === 'progress_phone') return fail('号码好像不对：手机号是11位数字。');
    return fail('请输入身份证号最后四位，最后一位是X的请说"X"。');
  },

  advance(t) {
    ask(t, t.s.step && QUESTIONS[t.s.step] ? t.s.step : 'progress_key');
  },

  onResult(t, cases) {
    if (cases.length === 0) {
      // Stay in the flow: the resident may try another number, or ask for a person.
      say(t, '没有查到您的申请记录。可以换个编号再查；需要工作人员帮您查，请回复0转人工。');
      return ask(t, 'progress_key');
    }
    t.s.flow = 'closed';
    t.s.step = undefined;
    const lines = cases.map((c) => `承办编号${c.trackingNumber}：${c.statusText}${c.nextDate ? `，预计${dateText(c.nextDate)}前有下一步结果` : ''}。`);
    say(t, `${lines.join('\n')}\n还有其他问题请回复0转人工，或拨打${t.ctx.directory.county.window.hotline}。`, { hangup: true });
  },
};
