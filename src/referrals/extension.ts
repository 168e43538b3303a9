import { AppError } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import { changeReferral } from './change.js';
import { formatLocal, ladder } from './clocks.js';
import { extensionApprovedText, extensionRequestedText } from './messages.js';
import { staffMessages } from './outbound.js';
import type { Actor, ReferralDeps } from './ports.js';
import { LADDER_STEPS, planTimers } from './timers.js';
import { countyWindow, unitOfReferral } from './units.js';

function notLater(trackingNumber: string, dueAt: Date, current: Date, deps: ReferralDeps): AppError {
  return new AppError(
    'extension_not_later',
    `新的办理时限必须晚于当前时限 ${formatLocal(deps, current)} 且晚于现在 / The new deadline for ${trackingNumber} (${dueAt.toISOString()}) must be after the current one and in the future`,
    400,
  );
}

/** 延期申请: the unit asks for more time; the county window is told and a supervisor decides. */
export async function requestExtension(
  deps: ReferralDeps,
  input: { trackingNumber: string; reason: string; dueAt: Date; actor: Actor; now: Date },
): Promise<Referral> {
  const reason = input.reason?.trim();
  if (!reason) throw new AppError('reason_required', '申请延期必须说明理由 / Say why more time is needed: an extension request needs a reason', 400);
  const { referral } = await changeReferral(deps, { ...input, action: 'request_extension' }, async ({ referral: r, now }) => {
    if (!(input.dueAt > r.dueAt && input.dueAt > now)) throw notLater(r.trackingNumber, input.dueAt, r.dueAt, deps);
    const unit = unitOfReferral(deps.directory, r);
    return {
      data: { extensionRequestedAt: now, extensionReason: reason, extensionDueAt: input.dueAt, extensionApprovedAt: null, extensionApprovedById: null },
      reason,
      messages: staffMessages(deps, {
        keyBase: `referral.${r.id}.extension_requested.${now.getTime()}`,
        userIds: countyWindow(deps.directory).staff,
        text: extensionRequestedText(deps, r, unit, input.dueAt),
        purpose: 'extension_requested',
      }),
    };
  });
  return referral;
}

/**
 * 批准延期: a supervisor grants the requested deadline (or another one). The ladder is planned again for the new
 * deadline, so the reminder and urge come again before it even if they had fired for the old one.
 */
export async function approveExtension(
  deps: ReferralDeps,
  input: { trackingNumber: string; dueAt?: Date; actor: Actor; now: Date },
): Promise<Referral> {
  const { actor } = input;
  if (actor.type !== 'staff' || actor.role !== 'supervisor') {
    throw new AppError('forbidden', '只有县级窗口督办人员可以批准延期 / Only a supervisor can approve an extension: ask the county window', 403);
  }
  const { referral } = await changeReferral(deps, { ...input, action: 'approve_extension' }, async ({ tx, referral: r, now }) => {
    if (!r.extensionRequestedAt || r.extensionApprovedAt || !r.extensionDueAt) {
      throw new AppError('no_extension_requested', `转办件 ${r.trackingNumber} 没有待批准的延期申请 / Referral ${r.trackingNumber} has no extension request waiting: the unit must request one first`, 409);
    }
    const dueAt = input.dueAt ?? r.extensionDueAt;
    if (!(dueAt > now)) throw notLater(r.trackingNumber, dueAt, r.dueAt, deps);
    return {
      data: { dueAt, extensionDueAt: dueAt, extensionApprovedAt: now, extensionApprovedById: actor.id },
      timers: await planTimers(tx, r.id, ladder(deps, r, r.dispatchedAt ?? r.createdAt, dueAt), { steps: LADDER_STEPS, now, refire: true }),
      messages: staffMessages(deps, {
        keyBase: `referral.${r.id}.extension_approved.${now.getTime()}`,
        userIds: unitOfReferral(deps.directory, r).staff,
        text: extensionApprovedText(deps, r, dueAt),
        purpose: 'extension_approved',
      }),
    };
  });
  return referral;
}
