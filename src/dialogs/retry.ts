import { STEP_LABELS } from './prompts.js';
import { handOver } from './flows/handover.js';
import type { Step } from './state.js';
import { say, type Said, type Turn } from './turn.js';

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
  const n = (t.s.retries[step] ?? 0) + 1;
  t.s.retries[step] = n;
  const explain = said.unsure ? '没听清楚，请再说一遍，也可以用电话按键输入。' : /[。！？]$/.test(why) ? why : `${why}。`;
  if (n <= MAX_REPROMPTS) {
    say(t, explain);
    ask();
  } else if (n === MAX_REPROMPTS + 1) {
    const offer = opts.canSkip ? '您可以回复"跳过"，稍后由工作人员打电话跟您补充；也可以回复0转人工。' : '您可以回复0转人工。';
    say(t, `${explain}${offer}`);
  } else {
    handOver(t, 'stuck', `多次没能回答"${STEP_LABELS[step]}"`);
  }
}

/** The resident skipped a step: note it, ask staff to call back for it, move on. */
export function skipStep(t: Turn, step: Step, ask: () => void): void {
  t.s.skipped.push(step);
  t.effects.push({ type: 'callback_task', reason: `居民跳过了"${STEP_LABELS[step]}"，请回电补充` });
  say(t, '好的，这一项先跳过，稍后工作人员会打电话跟您补充。');
  ask();
}
