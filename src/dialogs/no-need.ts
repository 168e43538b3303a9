import type { UrgencyVerdict } from './context.js';
import type { Turn } from './flow-turn.js';
import { menuReply } from './prompts.js';

type Purpose = NonNullable<UrgencyVerdict['noNeed']>;

/** What the resident hears first; each says only what the staff task below makes true. */
const LEAD: Readonly<Record<Purpose, string>> = {
  thanks: '不客气，谢谢您告诉我们，我们会转告经办的工作人员。',
  service: '给您添麻烦了，您说的情况已经记下，会转给热线负责人。',
  offer: '感谢您的爱心！捐赠、志愿服务和合作的事，工作人员会在工作日和您联系。',
  hiring: '感谢！招用困难群众的岗位，工作人员会在工作日和您联系。',
};

/** The staff task's reason (a callback task, with the conversation to read). */
const TASK: Readonly<Record<Purpose, string>> = {
  thanks: '居民来电致谢，请转告经办人员',
  service: '居民对热线或工作人员提出意见，请热线负责人查看并回复',
  offer: '来电提供捐赠、志愿服务或合作，请在工作日联系',
  hiring: '单位提供招用困难群众的岗位，请在工作日联系',
};

/**
 * A message that asks for no assistance (thanks, a word about the line or its staff, an offer to help): a person
 * is told through a staff task, the resident hears so, and the menu stays open for a need.
 */
export function acknowledgeNoNeed(t: Turn, purpose: Purpose): void {
  t.effects.push({ type: 'callback_task', reason: TASK[purpose] });
  t.replies.push(menuReply(LEAD[purpose]));
}
