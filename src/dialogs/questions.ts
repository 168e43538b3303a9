import type { DialogContext } from './context.js';
import { durationText } from './format.js';
import type { QuestionTopic } from './understand/acts.js';

/**
 * Short answers to what residents ask in the middle of a form. The flow then asks its
 * pending question again, so a question never costs what was already given.
 */
export function answerQuestion(topic: QuestionTopic, ctx: DialogContext): string {
  const { timeLimits, county } = ctx.directory;
  switch (topic) {
    case 'documents':
      return '一般要身份证、户口本，再加上能说明困难的材料（比如病历、收入情况）。现在不用准备齐，工作人员联系您时会说清楚。';
    case 'timing':
      return `登记后工作人员会在${durationText(timeLimits.transfer)}内联系您；审核审批一般在${durationText(timeLimits.approval)}内完成，结果会通知您。`;
    case 'robot':
      return `我是${county.window.hotline}热线的自动服务，先帮您把情况记下来，工作人员会接着办。想直接找工作人员，请回复0。`;
    case 'money':
      return '能补助多少，要看家里的收入和困难情况，由审核决定，工作人员会跟您说明。';
    case 'cost':
      return '申请救助不收任何费用。要您交钱的都是骗子，请不要相信。';
    case 'privacy':
      return '您说的信息只用于这次救助审核，依法保密，不会泄露给别人。';
    case 'other':
      return '您的问题我记下了，工作人员联系您时会给您解答。';
  }
}
