import { AppError } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import { effectiveDeadline } from './clock/pauses.js';
import { changeReferral } from './change.js';
import { ladder } from './clocks.js';
import type { Actor, ReferralDeps } from './ports.js';
import { LADDER_STEPS, pendingTimers, planTimers } from './timers.js';

/** Why a clock stands still: the domain reference names these two; others may be given in words. */
export type PauseReason = 'waiting_resident' | 'return_pending' | (string & {});

/**
 * Stops the referral's clock (waiting on the resident, a return being decided). Its timers are disarmed but kept:
 * resuming moves them by the time the clock stood still.
 */
export async function pauseClock(deps: ReferralDeps, input: { trackingNumber: string; reason: PauseReason; actor: Actor; now: Date }): Promise<Referral> {
  const reason = input.reason?.trim();
  if (!reason) throw new AppError('reason_required', '暂停计时必须说明理由 / Say why the clock stops: a pause needs a reason', 400);
  const { referral } = await changeReferral(deps, { ...input, action: 'pause' }, async ({ tx, referral: r, now }) => {
    const open = await tx.referralPause.findFirst({ where: { referralId: r.id, to: null } });
    if (open) {
      throw new AppError('already_paused', `转办件 ${r.trackingNumber} 已暂停计时 / Referral ${r.trackingNumber}'s clock is already paused (${open.reason}): resume it first`, 409);
    }
    await tx.referralPause.create({ data: { referralId: r.id, reason, from: now } });
    return { data: {}, reason, timers: { armed: [], disarmed: await pendingTimers(tx, r.id) } };
  });
  return referral;
}

/** Starts the clock again: deadlines move back by the pause (effectiveDeadline) and the ladder follows them. */
export async function resumeClock(deps: ReferralDeps, input: { trackingNumber: string; actor: Actor; now: Date }): Promise<Referral> {
  const { referral } = await changeReferral(deps, { ...input, action: 'resume' }, async ({ tx, referral: r, now }) => {
    const open = await tx.referralPause.findFirst({ where: { referralId: r.id, to: null } });
    if (!open) throw new AppError('not_paused', `转办件 ${r.trackingNumber} 没有暂停计时 / Referral ${r.trackingNumber}'s clock is running: there is nothing to resume`, 409);
    await tx.referralPause.update({ where: { id: open.id }, data: { to: now } });
    // The stored deadlines already include earlier pauses, and pauses never overlap, so only this one is added.
    const pause = [{ from: open.from, to: now }];
    const dueAt = effectiveDeadline(r.dueAt, pause, now);
    const signDueAt = r.signedAt ? r.signDueAt : effectiveDeadline(r.signDueAt, pause, now);
    const moved = await planTimers(tx, r.id, ladder(deps, r, r.dispatchedAt ?? r.createdAt, dueAt), { steps: LADDER_STEPS, now });
    // Every pending timer was disarmed by the pause, so all of them are armed again, moved or not.
    return {
      data: { dueAt, signDueAt },
      timers: { armed: await pendingTimers(tx, r.id), disarmed: moved.disarmed },
      note: { pausedFor: open.reason, pausedMs: now.getTime() - open.from.getTime() },
    };
  });
  return referral;
}
