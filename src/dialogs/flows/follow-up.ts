import type { Reply } from '../../domain/messages.js';
import type { AsideResult, RecordFollowUp } from '../effects.js';
import type { MessageInput } from '../state.js';
import { normalizeUtterance } from '../understand/index.js';

/**
 * A resident outside any dialog who answers the follow-up question (回访: 满意/不满意) is recording satisfaction, not
 * starting a conversation. It is answered beside the guided dialog (it neither reads nor changes the dialog state):
 * the runner finds the referral awaiting the answer and records it (the `record_follow_up` effect), which closes or
 * reopens it; when no referral awaits one, the message goes to the dialog after all.
 */

/** 满意 / 不满意, or the digits a keypad user would press; anything else is not an answer to the question. */
export function readSatisfaction(text: string): boolean | undefined {
  const t = normalizeUtterance(text).replace(/[\s。！!,.，]/g, '');
  if (/^(2|不满意|很不满意|不太满意|不满)/.test(t) || /不满意/.test(t)) return false;
  if (/^(1|满意|很满意|挺满意|非常满意|还满意|还可以|满意的)/.test(t)) return true;
  return undefined;
}

/** The answer a message gives to the follow-up question, if it reads as one. */
export function readFollowUpAnswer(input: MessageInput): { effect: RecordFollowUp } | undefined {
  const satisfied = readSatisfaction(input.text || input.digits || '');
  return satisfied === undefined ? undefined : { effect: { type: 'record_follow_up', satisfied, note: input.text } };
}

/** The thanks (or the apology) once the answer is recorded. */
export function followUpReceipt(done: Extract<AsideResult, { event: 'follow_up_recorded' }>): Reply {
  return done.satisfied
    ? { text: `感谢您的评价！编号 ${done.trackingNumber} 的事项已办结。今后有困难，随时联系我们。` }
    : { text: `很抱歉没能让您满意。编号 ${done.trackingNumber} 的事项已重新交办，督办人员会跟进并联系您。` };
}
