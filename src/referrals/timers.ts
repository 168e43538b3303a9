import type { Tx } from './outbound.js';
import type { TimerChanges, TimerRef, TimerStep } from './ports.js';

export const LADDER_STEPS: readonly TimerStep[] = ['reminder', 'urge', 'supervise', 'duty'];

export const noTimerChanges = (): TimerChanges => ({ armed: [], disarmed: [] });

export function mergeTimerChanges(...all: TimerChanges[]): TimerChanges {
  return { armed: all.flatMap((c) => c.armed), disarmed: all.flatMap((c) => c.disarmed) };
}

/**
 * Writes a plan onto a referral's timer rows for the steps in `steps`:
 * - a step in the plan gets its row created or moved to the planned time (pending again if it had been cancelled;
 *   a step that already fired fires again only with `refire` and a time still ahead, as after an extension);
 * - a pending step of `steps` missing from the plan is cancelled (signing drops `duty`).
 */
export async function planTimers(
  tx: Tx,
  referralId: string,
  plan: readonly { step: TimerStep; at: Date }[],
  opts: { steps: readonly TimerStep[]; now: Date; refire?: boolean },
): Promise<TimerChanges> {
  const rows = await tx.referralTimer.findMany({ where: { referralId, step: { in: [...opts.steps] } } });
  const byStep = new Map(rows.map((r) => [r.step, r]));
  const changes = noTimerChanges();
  for (const { step, at } of plan) {
    const row = byStep.get(step);
    const ref: TimerRef = { referralId, step, dueAt: at };
    if (!row) {
      await tx.referralTimer.create({ data: { referralId, step, dueAt: at } });
      changes.armed.push(ref);
      continue;
    }
    const pending = !row.firedAt && !row.cancelledAt;
    const rearm = row.cancelledAt !== null || (row.firedAt !== null && !!opts.refire && at > opts.now);
    if ((pending && row.dueAt.getTime() !== at.getTime()) || rearm) {
      await tx.referralTimer.update({ where: { id: row.id }, data: { dueAt: at, firedAt: null, cancelledAt: null } });
      changes.armed.push(ref);
    }
  }
  const planned = new Set(plan.map((p) => p.step));
  const dropped = rows.filter((r) => !planned.has(r.step as TimerStep) && !r.firedAt && !r.cancelledAt).map((r) => r.step as TimerStep);
  return { armed: changes.armed, disarmed: (await cancelTimers(tx, referralId, opts.now, dropped)).disarmed };
}

/** Cancels the pending timers of `steps` (all of them by default): moving on made them moot. */
export async function cancelTimers(tx: Tx, referralId: string, now: Date, steps: readonly TimerStep[] = [...LADDER_STEPS, 'follow_up']): Promise<TimerChanges> {
  if (steps.length === 0) return noTimerChanges();
  const pending = await tx.referralTimer.findMany({ where: { referralId, step: { in: [...steps] }, firedAt: null, cancelledAt: null } });
  if (pending.length === 0) return noTimerChanges();
  await tx.referralTimer.updateMany({ where: { id: { in: pending.map((p) => p.id) } }, data: { cancelledAt: now } });
  return { armed: [], disarmed: pending.map((p) => ({ referralId, step: p.step as TimerStep, dueAt: p.dueAt })) };
}

/** The pending timers of a referral, e.g. to disarm them while its clock is paused. */
export async function pendingTimers(tx: Tx, referralId: string): Promise<TimerRef[]> {
  const rows = await tx.referralTimer.findMany({ where: { referralId, firedAt: null, cancelledAt: null } });
  return rows.map((r) => ({ referralId, step: r.step as TimerStep, dueAt: r.dueAt }));
}
