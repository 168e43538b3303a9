import { AppError } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import { changeReferral } from './change.js';
import { followUpAt, ladder } from './clocks.js';
import { residentAnswerText } from './messages.js';
import type { OutboundDraft } from './outbound.js';
import { openPaperwork } from './paperwork.js';
import type { Actor, ReferralDeps } from './ports.js';
import { residentRoute } from './resident-contact.js';
import { LADDER_STEPS, mergeTimerChanges, noTimerChanges, planTimers } from './timers.js';

interface Step {
  trackingNumber: string;
  actor: Actor;
  now: Date;
}

const staffId = (actor: Actor) => (actor.type === 'staff' ? actor.id : null);

/**
 * Steps whose answer is news for the resident and gets the follow-up question. Township investigation, notices and
 * emergency paperwork stay between offices: the resident already heard about, and is asked about, the aid itself.
 */
const RESIDENT_FACING = new Set<Referral['step']>(['handle', 'aid_first']);

/** 签收: the unit takes the referral on. The duty officer is no longer needed for it. */
export async function signReferral(deps: ReferralDeps, input: Step): Promise<Referral> {
  const { referral } = await changeReferral(deps, { ...input, action: 'sign' }, async ({ tx, referral: r, now }) => ({
    data: { signedAt: now, signedById: staffId(input.actor) },
    timers: await planTimers(tx, r.id, ladder(deps, { urgent: r.urgent, signedAt: now }, r.dispatchedAt ?? r.createdAt, r.dueAt), {
      steps: LADDER_STEPS,
      now,
    }),
  }));
  return referral;
}

/** The unit starts work on a signed referral. */
export async function startReferral(deps: ReferralDeps, input: Step): Promise<Referral> {
  const { referral } = await changeReferral(deps, { ...input, action: 'start' }, async ({ now }) => ({ data: { startedAt: now } }));
  return referral;
}

export interface Feedback {
  /** What was done, in words the resident understands; it is sent to them. */
  result: string;
  /** When the work was finished (defaults to now). */
  date?: Date;
  /** Who handled it (经办人). */
  handler: string;
  note?: string;
}

/**
 * 反馈: the unit answers with the feedback form. The resident hears the result on the channel they used, and the
 * follow-up question (回访) is scheduled for the directory's follow-up limit later. Aid given first leaves the
 * paperwork owed: it opens in the same transaction, as a referral with its own clock.
 */
export async function answerReferral(deps: ReferralDeps, input: Step & { feedback: Feedback }): Promise<Referral> {
  const { result, handler } = input.feedback;
  if (!result?.trim() || !handler?.trim()) {
    throw new AppError('feedback_incomplete', '请填写办理结果和经办人 / Give the result of the work and the name of the person who handled it', 400);
  }
  const { referral } = await changeReferral(deps, { ...input, action: 'answer' }, async ({ tx, referral: r, now }) => {
    const route = RESIDENT_FACING.has(r.step) ? await residentRoute(tx, deps, r.caseId) : undefined;
    const messages: OutboundDraft[] = route
      ? [{ ...route, key: `referral.${r.id}.answer.${r.reopenCount}`, text: residentAnswerText(deps, r, result), purpose: 'resident_answer' }]
      : [];
    const followUp = RESIDENT_FACING.has(r.step)
      ? await planTimers(tx, r.id, [{ step: 'follow_up', at: followUpAt(deps, now) }], { steps: ['follow_up'], now, refire: true })
      : noTimerChanges();
    const paperwork = await openPaperwork(tx, deps, { aid: r, actor: input.actor, now });
    return {
      data: {
        answeredAt: now,
        feedbackResult: result.trim(),
        feedbackDate: input.feedback.date ?? now,
        feedbackHandler: handler.trim(),
        feedbackNote: input.feedback.note?.trim() || null,
      },
      messages: [...messages, ...(paperwork?.messages ?? [])],
      timers: mergeTimerChanges(followUp, { armed: paperwork?.timers ?? [], disarmed: [] }),
      note: { residentNotified: messages.length > 0, ...(paperwork ? { paperwork: paperwork.referral.trackingNumber } : {}) },
    };
  });
  return referral;
}
