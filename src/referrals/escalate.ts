import type { Referral } from '../generated/prisma/client.js';
import { recordReferralEvent } from './audit.js';
import { lockReferral } from './change.js';
import { dutyCallText, dutyText, followUpQuestionText, reminderText, superviseText, urgeText } from './messages.js';
import { stageOutbound } from '../messages/message-outbox.js';
import { staffMessages, type OutboundDraft, type Tx } from './outbound.js';
import type { ReferralDeps, TimerStep } from './ports.js';
import { residentRoute } from './resident-contact.js';
import { OPEN_STATUSES } from './transitions.js';
import { countyWindow, unitOfReferral } from './units.js';
import { openDutyTask, openUrgentCaseTask } from '../duty/tasks.js';

export type FireOutcome =
  /** This call fired the step; its messages are staged under `messageKeys`. */
  | { outcome: 'fired'; messageKeys: string[] }
  /** Fired before (a duplicate or retried job); `messageKeys` are its messages still waiting to be sent. */
  | { outcome: 'already_fired'; messageKeys: string[] }
  /** The row moved later (extension, pause); the job should wait until `dueAt`. */
  | { outcome: 'not_due'; dueAt: Date }
  /** The clock is paused; resuming arms the step again. */
  | { outcome: 'paused' }
  /** The step no longer applies (signed, answered, cancelled, gone); its row is cancelled. */
  | { outcome: 'moot' };

/** Whether a step still makes sense for the referral as it is now. */
function applies(step: TimerStep, r: Referral): boolean {
  switch (step) {
    case 'reminder':
    case 'urge':
    case 'supervise':
      return OPEN_STATUSES.includes(r.status);
    case 'duty':
      return r.urgent && !r.signedAt && r.status === 'dispatched';
    case 'follow_up':
      return r.status === 'answered';
  }
}

/** What a step does: messages to send and, for supervision and duty, a task on the dashboard. */
async function effects(tx: Tx, deps: ReferralDeps, r: Referral, step: TimerStep, keyBase: string, now: Date): Promise<OutboundDraft[]> {
  const unit = unitOfReferral(deps.directory, r);
  const window = countyWindow(deps.directory);
  const assignees = unit.staff.length > 0 ? unit.staff : window.staff;
  const toStaff = (userIds: readonly (string | undefined)[], text: string) => staffMessages(deps, { keyBase, userIds, text, purpose: step });
  switch (step) {
    case 'reminder':
      return toStaff(assignees, reminderText(deps, r));
    case 'urge':
      return toStaff([...assignees, unit.head], urgeText(deps, r, unit));
    case 'supervise': {
      const text = superviseText(deps, r, unit);
      await openDutyTask(tx, { kind: 'escalation', urgent: r.urgent, reason: text, caseId: r.caseId, at: now });
      return toStaff(window.staff, text);
    }
    case 'duty': {
      const text = dutyText(deps, r, unit);
      await openUrgentCaseTask(tx, { caseId: r.caseId, reason: text, at: now });
      const officers = await tx.staffUser.findMany({ where: { role: 'duty_officer', active: true, wecomUserId: { not: null } }, select: { wecomUserId: true } });
      const onDuty = officers.map((o) => o.wecomUserId ?? undefined);
      const twilio = deps.config.twilio;
      const calls: OutboundDraft[] = twilio
        ? deps.directory.directory.county.dutyPhones.map((to, i) => ({
            // The index, not the number, keys the call: keys are shown wherever jobs are inspected.
            key: `${keyBase}.call.${i}`,
            channel: 'voice',
            from: twilio.numbers.civil ?? twilio.numbers.service ?? '',
            to,
            text: dutyCallText(deps, r, unit),
            purpose: 'duty_call',
            extra: { url: `${deps.config.http.publicBaseUrl}/channels/twilio/voice/duty-alert?referral=${encodeURIComponent(r.trackingNumber)}` },
          }))
        : [];
      return [...toStaff(onDuty.length > 0 ? onDuty : window.staff, text), ...calls];
    }
    case 'follow_up': {
      const route = await residentRoute(tx, deps, r.caseId);
      return route ? [{ ...route, key: `${keyBase}.resident`, text: followUpQuestionText(deps, r), purpose: 'follow_up' }] : [];
    }
  }
}

/**
 * Fires one timer step of a referral if it is due and still applies, exactly once: the row's firedAt is claimed with
 * a conditional update inside the same transaction that writes the step's effects, under the referral's row lock.
 */
export async function fireTimerStep(deps: ReferralDeps, input: { referralId: string; step: TimerStep; now: Date }): Promise<FireOutcome> {
  const { referralId, step, now } = input;
  return deps.db.$transaction(async (tx): Promise<FireOutcome> => {
    const r = await lockReferral(tx, { id: referralId });
    const timer = r && (await tx.referralTimer.findUnique({ where: { referralId_step: { referralId, step } } }));
    if (!r || !timer || timer.cancelledAt) return { outcome: 'moot' };
    // A step fires again only after a re-plan (extension, reopen), which changes its due time or the reopen count.
    const keyBase = `timer.${referralId}.${step}.${r.reopenCount}.${timer.dueAt.getTime()}`;
    if (timer.firedAt) {
      const waiting = await tx.message.findMany({ where: { idempotencyKey: { startsWith: `${keyBase}.` }, status: 'queued' }, select: { idempotencyKey: true } });
      return { outcome: 'already_fired', messageKeys: waiting.map((m) => m.idempotencyKey!) };
    }
    if (timer.dueAt > now) return { outcome: 'not_due', dueAt: timer.dueAt };
    if (await tx.referralPause.findFirst({ where: { referralId, to: null }, select: { id: true } })) return { outcome: 'paused' };
    if (!applies(step, r)) {
      await tx.referralTimer.update({ where: { id: timer.id }, data: { cancelledAt: now } });
      return { outcome: 'moot' };
    }
    const claimed = await tx.referralTimer.updateMany({ where: { id: timer.id, firedAt: null, cancelledAt: null, dueAt: timer.dueAt }, data: { firedAt: now } });
    if (claimed.count !== 1) return { outcome: 'already_fired', messageKeys: [] };
    const messageKeys = await stageOutbound(tx, await effects(tx, deps, r, step, keyBase, now), now);
    await recordReferralEvent(tx, {
      at: now,
      actor: { type: 'system' },
      action: `referral.timer.${step}`,
      referral: r,
      after: { step, dueAt: timer.dueAt, firedAt: now, messages: messageKeys.length },
    });
    return { outcome: 'fired', messageKeys };
  });
}
