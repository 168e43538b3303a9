import type { Referral } from '../generated/prisma/client.js';
import { changeReferral } from './change.js';
import { handleDeadline, ladder } from './clocks.js';
import { reopenText } from './messages.js';
import { staffMessages } from './outbound.js';
import type { Actor, ReferralDeps } from './ports.js';
import { LADDER_STEPS, planTimers } from './timers.js';
import { countyWindow, unitOfReferral } from './units.js';
import { openDutyTask } from '../duty/tasks.js';

/**
 * 回访: the resident's answer to the follow-up question (or a staff member's record of a follow-up call).
 * Satisfied closes the referral. Not satisfied reopens it (重办): back in progress with a fresh handling deadline and
 * ladder, and the county window is told twice over: a supervision task on the dashboard and a WeCom message.
 */
export async function recordFollowUp(
  deps: ReferralDeps,
  input: { trackingNumber: string; satisfied: boolean; note?: string; actor: Actor; now: Date },
): Promise<Referral> {
  const note = input.note?.trim() || null;
  if (input.satisfied) {
    const { referral } = await changeReferral(deps, { ...input, action: 'follow_up_satisfied' }, async ({ now }) => ({
      data: { satisfaction: 'satisfied', satisfactionNote: note, closedAt: now },
    }));
    return referral;
  }
  const { referral } = await changeReferral(deps, { ...input, action: 'follow_up_not_satisfied' }, async ({ tx, referral: r, now }) => {
    const reopenCount = r.reopenCount + 1;
    const dueAt = handleDeadline(deps, r, now);
    const unit = unitOfReferral(deps.directory, r);
    const text = reopenText(deps, { ...r, dueAt }, unit, reopenCount);
    await openDutyTask(tx, { kind: 'escalation', urgent: r.urgent, reason: text, caseId: r.caseId, at: now });
    return {
      data: { satisfaction: 'not_satisfied', satisfactionNote: note, reopenCount, answeredAt: null, dueAt },
      timers: await planTimers(tx, r.id, ladder(deps, r, now, dueAt), { steps: LADDER_STEPS, now, refire: true }),
      messages: staffMessages(deps, {
        keyBase: `referral.${r.id}.reopen.${reopenCount}`,
        userIds: [...countyWindow(deps.directory).staff, ...unit.staff],
        text,
        purpose: 'reopen',
      }),
      reason: note ?? undefined,
    };
  });
  return referral;
}
