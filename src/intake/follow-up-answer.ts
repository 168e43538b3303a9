import type { Db } from '../db/client.js';
import { normalizeText } from '../dialogs/understand/index.js';

/** 满意 / 不满意, or the digits a keypad user would press; anything else is not an answer to the question. */
export function readSatisfaction(text: string): boolean | undefined {
  const t = normalizeText(text).replace(/[\s。！!,.，]/g, '');
  if (/^(2|不满意|很不满意|不太满意|不满)/.test(t) || /不满意/.test(t)) return false;
  if (/^(1|满意|很满意|挺满意|非常满意|还满意|还可以|满意的)/.test(t)) return true;
  return undefined;
}

/**
 * The referral whose follow-up question (回访) this resident was sent and has not
 * answered yet: answered, no satisfaction recorded, follow-up timer fired; found
 * through the resident's conversations or the phone on the case.
 */
export async function awaitingFollowUp(db: Db, who: { identityId: string; phoneDigits?: string }): Promise<{ trackingNumber: string } | undefined> {
  const referral = await db.referral.findFirst({
    where: {
      status: 'answered',
      satisfaction: null,
      timers: { some: { step: 'follow_up', firedAt: { not: null } } },
      case: { OR: [{ conversation: { identityId: who.identityId } }, ...(who.phoneDigits ? [{ phone: who.phoneDigits }] : [])] },
    },
    orderBy: { answeredAt: 'desc' },
    select: { trackingNumber: true },
  });
  return referral ?? undefined;
}
