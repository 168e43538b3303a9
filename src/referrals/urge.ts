import type { Referral } from '../generated/prisma/client.js';
import { AppError, notFound } from '../errors.js';
import { stageOutbound } from '../messages/message-outbox.js';
import { afterCommit } from './after-commit.js';
import { recordReferralEvent } from './audit.js';
import { lockReferral } from './change.js';
import { manualUrgeText } from './messages.js';
import { staffMessages } from './outbound.js';
import type { Actor, ReferralDeps } from './ports.js';
import { noTimerChanges } from './timers.js';
import { OPEN_STATUSES } from './transitions.js';
import { unitOfReferral } from './units.js';

/** Whether a referral can be urged: its unit still owes work, and the unit is not the county window, which urges and cannot urge itself. */
export const canUrge = (r: Pick<Referral, 'status' | 'unitKind'>): boolean => OPEN_STATUSES.includes(r.status) && r.unitKind !== 'county_window';

/**
 * 催办 by a supervisor, at any time: a WeCom message now to the unit's staff and head, and an entry in the referral's
 * trail. The referral itself is unchanged (the ladder's own urge still comes at the deadline). Returns how many
 * messages went out, so the console can say whether anyone was told.
 */
export async function urgeReferral(deps: ReferralDeps, input: { trackingNumber: string; actor: Actor; now: Date }): Promise<{ messaged: number }> {
  const { trackingNumber, actor, now } = input;
  const messageKeys = await deps.db.$transaction(async (tx) => {
    const r = await lockReferral(tx, { trackingNumber });
    if (!r) throw notFound(`Referral ${trackingNumber}`);
    if (!OPEN_STATUSES.includes(r.status)) {
      throw new AppError('not_open', `转办件 ${trackingNumber} 已不在办理中，无需催办 / Referral ${trackingNumber} is no longer owed work: there is nothing to urge`, 409);
    }
    if (r.unitKind === 'county_window') {
      throw new AppError(
        'window_holds_it',
        `转办件 ${trackingNumber} 由县级窗口自己承办，县级窗口不能向自己催办：请改派给应承办的镇街或部门（仲裁改派），或由窗口直接办理 / ` +
          `Referral ${trackingNumber} is held by the county window itself, which cannot urge itself: reassign it to the township or agency that should hold it, or do the work at the window`,
        409,
      );
    }
    const unit = unitOfReferral(deps.directory, r);
    // Without a WeCom app there is no channel to staff; the trail still records the urge.
    const drafts = deps.config.wecom?.agentId
      ? staffMessages(deps, { keyBase: `referral.${r.id}.urged.${now.getTime()}`, userIds: [...unit.staff, unit.head], text: manualUrgeText(deps, r, unit, now), purpose: 'urge' })
      : [];
    const keys = await stageOutbound(tx, drafts, now);
    await recordReferralEvent(tx, { at: now, actor, action: 'referral.urged', referral: r, after: { messages: keys.length } });
    return keys;
  });
  await afterCommit(deps, { trackingNumber, timers: noTimerChanges(), messageKeys });
  return { messaged: messageKeys.length };
}
