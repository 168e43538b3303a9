import { STEP_LABELS } from './prompts.js';
import { handOver } from './flows/handover.js';
import { repairActs } from './model-acts.js';
import { answerQuestion } from './questions.js';
import { asksToRepeat } from './understand/acts.js';
import type { Step } from './state.js';
import { say, type Said, type Turn } from './flow-turn.js';

/** The question in other words, with an example, for the second re-prompt. */
const REPHRASED: Partial<Record<Step, string>> = {
  reason: '就是说说家里现在难在哪儿，比如"老伴住院了，家里没收入"。',
  name: '需要帮助的这个人，身份证上的名字是什么？比如"王秀英"。',
  idNumber: '身份证号是18位，在身份证正面最下面一行，可以分几段说；记不清也可以回复"记不清"，工作人员以后核实。',
  householdSize: '户口本上一起过日子的一共几个人？比如"我和老伴两个人"，或者直接回复数字2。',
  place: '您家在哪个镇或者街道，哪个村或者社区？比如"枣园镇东鲁村"，说"枣园东鲁"也行。',
  phone_confirm: '就用您现在打来的这个号码联系您，行吗？行就回复"行"；要换号码就直接说新号码。',
  phone: '请说一个能找到您的电话，比如"13812345678"；座机带区号，比如"0539-8123456"。',
  relation: '这个申请是给您自己办，还是帮家里人、邻居或者村里的人办？比如"给我娘办"。',
  consent: '就是同意工作人员去查一下家里的收入和存款，好核实困难情况。同意就回复"同意"，不同意就回复"不同意"。',
  identity_check: '就是问：这个身份证号以前登记过，名字跟您这次说的不一样。是同一个人、名字以这次为准，就回复1；身份证号说错了，就回复2；不是同一个人或者不清楚，就回复3。',
  summary: '上面的信息都对吗？都对就回复"对"；哪里不对，直接说哪一项，比如"电话不对"。',
  what: '出了什么事？比如"老人摔倒起不来了"、"家里没吃的了"。',
  where: '在哪个镇或者街道、哪个村？比如"半程镇河庄村"。',
  affected: '是谁遇到了难处？比如"隔壁独居的王大爷"，有电话也可以说一下。',
  danger: '现在有没有人受伤、被困，或者今晚没地方住？有就回复"有"，没有就回复"没有"。',
  reporter: '您是他什么人？比如"我是他邻居"、"我是他闺女"，也可以说说您的名字。',
  progress_key: '承办编号是登记时短信或回执上的12位数字，比如"2612 0734 5163"。没有编号就回复"没有"。',
  safety: '就是问问：现在有没有人有危险，或者今晚没饭吃、没地方睡？有就回复"有"，没有就回复"没有"。',
};

/** Items a resident may not know or have at hand; staff collect them on the callback. */
const KNOWABLE_LATER = new Set<Step>(['reason', 'name', 'idNumber', 'householdSize', 'place', 'phone_confirm', 'phone', 'relation', 'consent', 'where', 'affected', 'reporter']);

/** Steps that ask for a number the resident may simply not have ("现在没有", "没手机"). */
const NUMBER_STEPS = new Set<Step>(['idNumber', 'phone']);
const HAS_NONE = /^(?:现在|目前|暂时|手头|身边|这会儿|一时)?(?:还)?(?:没有|没)(?:身份证|证件|带|手机|电话)?(?:号|号码)?(?:呢|啊|哩|了)?$/;

/** Re-prompts allowed for one step before the resident is offered a person or skipping. */
const MAX_REPROMPTS = 2;

/**
 * A failed answer to the current step. Each re-prompt says what was wrong; after two,
 * offer a person (and skipping where the step allows it); one more failure hands over,
 * so nobody is left in a loop.
 */
export function failed(t: Turn, said: Said, why: string, ask: () => void, opts: { canSkip: boolean }): void {
  const step = t.s.step;
  if (!step) throw new Error('failed answer without a current step');
  const acts = repairActs(said);
  if (acts.askPerson) return handOver(t, 'asked_for_person', '居民要求转人工');
  // "记不清了", or "现在没有" asked for a number, leads on: the item is left for the callback instead of being asked again.
  const notAtHand = acts.dontKnow || (NUMBER_STEPS.has(step) && HAS_NONE.test(said.text));
  if (notAtHand && opts.canSkip && KNOWABLE_LATER.has(step)) return skipStep(t, step === 'phone_confirm' ? 'phone' : step, ask);
  const n = (t.s.retries[step] ?? 0) + 1;
  t.s.retries[step] = n;
  // "啥？", "恁说啥？": the question was not caught; it is said again (the second time in plainer words), not answered.
  const pardon = asksToRepeat(said.text);
  // A question of the resident's own is answered, then the pending question asked again.
  if ((acts.question || pardon) && n <= MAX_REPROMPTS) {
    if (!pardon && acts.question) say(t, answerQuestion(acts.question, t.ctx));
    askAgain(t, step, ask, n);
    return;
  }
  const explain = said.unsure ? '没听清楚，请再说一遍，也可以用电话按键输入。' : /[。！？]$/.test(why) ? why : `${why}。`;
  if (n <= MAX_REPROMPTS) {
    t.replies.splice(askAgain(t, step, ask, n), 0, { text: explain });
  } else if (n === MAX_REPROMPTS + 1) {
    const offer = opts.canSkip ? '您可以回复"跳过"，稍后由工作人员打电话跟您补充；也可以回复0转人工。' : '您可以回复0转人工。';
    say(t, `${explain}${offer}`);
  } else if (opts.canSkip && KNOWABLE_LATER.has(step) && !t.s.skipped.includes(step === 'phone_confirm' ? 'phone' : step)) {
    // Offered a person and still stuck on one item: the rest of the application is not lost over it.
    skipStep(t, step === 'phone_confirm' ? 'phone' : step, ask);
  } else {
    handOver(t, 'stuck', `多次没能回答"${STEP_LABELS[step]}"`);
  }
}

/**
 * The pending question once more; from the second time in other words, with an example, so that no prompt is
 * sent word for word three times. Returns where the question stands among the replies.
 */
function askAgain(t: Turn, step: Step, ask: () => void, n: number): number {
  const at = t.replies.length;
  ask();
  const question = t.replies[at];
  const other = REPHRASED[step];
  if (n >= 2 && question && other) t.replies[at] = { ...question, text: other, speech: undefined };
  return at;
}

/** The resident skipped a step: note it, ask staff to call back for it, move on. */
export function skipStep(t: Turn, step: Step, ask: () => void): void {
  t.s.skipped.push(step);
  t.effects.push({ type: 'callback_task', reason: `居民跳过了"${STEP_LABELS[step]}"，请回电补充` });
  say(t, '好的，这一项先跳过，稍后工作人员会打电话跟您补充。');
  ask();
}
