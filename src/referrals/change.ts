import type { Referral } from '../generated/prisma/client.js';
import type { ReferralStatus } from '../generated/prisma/enums.js';
import { notFound } from '../errors.js';
import { afterCommit } from './after-commit.js';
import { changedFrom } from '../audit/record.js';
import { recordReferralEvent } from './audit.js';
import { stageOutbound } from '../messages/message-outbox.js';
import type { OutboundDraft, Tx } from './outbound.js';
import type { Actor, ReferralDeps, TimerChanges, TimerStep } from './ports.js';
import { cancelTimers, LADDER_STEPS, mergeTimerChanges, noTimerChanges } from './timers.js';
import { nextStatus, OPEN_STATUSES, type ReferralAction } from './transitions.js';

/** The plain fields a change may set on a referral. */
export type ReferralFields = Partial<Omit<Referral, 'id' | 'caseId' | 'trackingNumber' | 'createdAt' | 'updatedAt'>>;

export interface ChangeContext {
  tx: Tx;
  referral: Referral;
  now: Date;
  actor: Actor;
}

export interface ChangeResult<T> {
  data: ReferralFields;
  timers?: TimerChanges;
  messages?: OutboundDraft[];
  reason?: string;
  /** Facts for the audit event besides the changed fields. */
  note?: Record<string, unknown>;
  output?: T;
}

/** Locks a referral row for the rest of the transaction, so concurrent changes (and timer steps) queue up. */
export async function lockReferral(tx: Tx, where: { trackingNumber: string } | { id: string }): Promise<Referral | null> {
  // One statement reads and locks: the row's columns are exactly the model's fields.
  const rows =
    'id' in where
      ? await tx.$queryRaw<Referral[]>`SELECT * FROM "Referral" WHERE id = ${where.id}::uuid FOR UPDATE`
      : await tx.$queryRaw<Referral[]>`SELECT * FROM "Referral" WHERE "trackingNumber" = ${where.trackingNumber} FOR UPDATE`;
  return rows[0] ?? null;
}

/** Timers that cannot apply in a status: the ladder runs only while work is owed, the follow-up only once answered. */
function mootSteps(status: ReferralStatus): TimerStep[] {
  if (OPEN_STATUSES.includes(status)) return ['follow_up'];
  if (status === 'answered') return [...LADDER_STEPS];
  return [...LADDER_STEPS, 'follow_up'];
}

/**
 * Every change of a referral goes through here: lock it, check the transition table, apply the change, drop timers
 * the new status makes moot, stage messages, record the audit event, commit; then mirror timers and messages into
 * the job system.
 */
export async function changeReferral<T = undefined>(
  deps: ReferralDeps,
  input: { trackingNumber: string; action: ReferralAction; actor: Actor; now: Date },
  apply: (ctx: ChangeContext) => Promise<ChangeResult<T>>,
): Promise<{ referral: Referral; output: T | undefined }> {
  const { trackingNumber, action, actor, now } = input;
  const done = await deps.db.$transaction(async (tx) => {
    const referral = await lockReferral(tx, { trackingNumber });
    if (!referral) throw notFound(`Referral ${trackingNumber}`);
    const status = nextStatus(trackingNumber, referral.status, action);
    const result = await apply({ tx, referral, now, actor });
    const data: ReferralFields = { ...(status !== referral.status ? { status } : {}), ...result.data };
    const updated = await tx.referral.update({ where: { id: referral.id }, data });
    if (!OPEN_STATUSES.includes(status)) {
      await tx.referralPause.updateMany({ where: { referralId: referral.id, to: null }, data: { to: now } });
    }
    const timers = mergeTimerChanges(result.timers ?? noTimerChanges(), await cancelTimers(tx, referral.id, now, mootSteps(status)));
    const messageKeys = await stageOutbound(tx, result.messages ?? [], now);
    await recordReferralEvent(tx, {
      at: now,
      actor,
      action: `referral.${action}`,
      referral,
      before: changedFrom(referral, data),
      after: { ...data, ...result.note },
      reason: result.reason,
    });
    return { updated, timers, messageKeys, output: result.output };
  });
  await afterCommit(deps, { trackingNumber, timers: done.timers, messageKeys: done.messageKeys });
  return { referral: done.updated, output: done.output };
}
