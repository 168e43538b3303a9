import { AppError, notFound } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import { recordReferralEvent } from './audit.js';
import { changeReferral, lockReferral } from './change.js';
import type { Actor, ReferralDeps } from './ports.js';
import { OPEN_STATUSES } from './transitions.js';

/** 并单: a duplicate referral is folded into the one that carries on; its clock and timers stop. */
export async function mergeReferral(
  deps: ReferralDeps,
  input: { trackingNumber: string; intoTrackingNumber: string; actor: Actor; now: Date },
): Promise<Referral> {
  if (input.trackingNumber === input.intoTrackingNumber) {
    throw new AppError('merge_into_itself', `不能把转办件 ${input.trackingNumber} 并入自身 / A referral cannot be merged into itself: name the referral that carries on`, 400);
  }
  const { referral } = await changeReferral(deps, { ...input, action: 'merge' }, async ({ tx, referral: r, now, actor }) => {
    const into = await lockReferral(tx, { trackingNumber: input.intoTrackingNumber });
    if (!into) throw notFound(`Referral ${input.intoTrackingNumber}`);
    if (![...OPEN_STATUSES, 'answered'].includes(into.status)) {
      throw new AppError(
        'merge_target_finished',
        `转办件 ${into.trackingNumber} 已结束（${into.status}），不能并入 / Referral ${into.trackingNumber} is ${into.status}: merge into a referral that is still being handled`,
        409,
      );
    }
    await recordReferralEvent(tx, { at: now, actor, action: 'referral.merged_from', referral: into, after: { mergedFrom: r.trackingNumber } });
    return { data: { mergedIntoId: into.id }, note: { mergedInto: into.trackingNumber } };
  });
  return referral;
}
