import type { CategoryCode } from '../../domain/categories.js';
import { yesNo } from '../answers.js';
import { categoriesIn, policyFor } from '../policies.js';
import { ONE_KEY } from '../prompts.js';
import { failed } from '../retry.js';
import { type FlowHandler, type Turn } from '../flow-turn.js';

/** Policy enquiry: a short answer per category from the county's policy data, then an offer to apply. */

function answer(t: Turn, code: CategoryCode): void {
  const p = policyFor(code, t.ctx.policies);
  t.s.step = 'enquiry_answered';
  t.s.enquiryCategory = code;
  t.replies.push({
    text: `【${p.name}】谁能申请：${p.who}\n要带什么：${p.bring}\n多长时间：${p.howLong}\n回复1开始申请，或说想了解的其他救助。`,
    speech: `${p.name}：${p.who}${p.howLong}开始申请请按1，或说想了解的其他救助。`,
    expect: ONE_KEY,
  });
}

function askCategory(t: Turn): void {
  t.s.step = 'enquiry_category';
  t.replies.push({ text: '您想了解哪类救助？比如低保、特困供养、临时救助、医疗救助、住房救助、残疾人补贴，直接说名称就行。' });
}

export const enquiry: FlowHandler = {
  enter(t, said) {
    const code = said && categoriesIn(said.text, t.ctx.policies)[0];
    if (code) answer(t, code);
    else askCategory(t);
  },

  onMessage(t, said) {
    const code = categoriesIn(said.text, t.ctx.policies)[0];
    const answered = t.s.step === 'enquiry_answered' ? t.s.enquiryCategory : undefined;
    // Naming another category is a new question, even in "那医疗救助怎么申请".
    if (code && code !== answered) return answer(t, code);
    // A yes, a wish to apply, the resident's own story, or the same programme named again after the policy
    // answer ("高龄津贴"): they want it. Saying the answer again would only repeat it word for word.
    const story = !said.acts.question && said.text.length >= 8;
    const sameAgain = code !== undefined && code === answered && !said.acts.question;
    if (answered && (said.text === '1' || yesNo(said.text) === true || /申请|办理|要办|想办/.test(said.text) || story || sameAgain)) {
      t.s.categories = [answered];
      t.replies.push({ text: `好的，我们开始申请${policyFor(answered, t.ctx.policies).name}。` });
      return t.goto('application', story ? said : undefined);
    }
    if (code) return answer(t, code);
    if (answered) {
      // The answer stays on screen; only the choice is repeated, not the whole policy text.
      return failed(t, said, '没听明白。回复1开始申请，或说想了解的救助名称。', () => undefined, { canSkip: false });
    }
    failed(t, said, '没找到这类救助。', () => askCategory(t), { canSkip: false });
  },

  advance(t) {
    if (t.s.step === 'enquiry_answered' && t.s.enquiryCategory) answer(t, t.s.enquiryCategory);
    else askCategory(t);
  },
};
