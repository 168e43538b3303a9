import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import type { CaseType } from '../generated/prisma/enums.js';
import { PlannedReferral } from '../routing/types.js';
import { afterCommit } from './after-commit.js';
import { dispatchReferral } from './dispatch.js';
import { stageOutbound } from '../messages/message-outbox.js';
import type { Actor, ReferralDeps } from './ports.js';
import * as audit from '../audit/record.js';
import type { AuditEntry } from '../audit/record.js';

export interface CreateReferralsInput {
  caseId: string;
  caseTrackingNumber: string;
  caseType: CaseType;
  urgent: boolean;
  planned: PlannedReferral[];
  now: Date;
  /** Who routed the case: the system after a dialog, or a staff member dispatching by hand. */
  actor?: Actor;
}

const Planned = z.array(PlannedReferral).min(1, 'routing planned no referral; send the case to the county window instead');

/** The case's trail entry for its referrals, once all are dispatched. */
export function referredEntry(input: Pick<CreateReferralsInput, 'caseId' | 'caseType' | 'urgent' | 'now'>, referrals: string[], actor: Actor): AuditEntry {
  return {
    at: input.now,
    actor,
    action: 'case.referred',
    caseId: input.caseId,
    entity: 'case',
    entityId: input.caseId,
    after: { caseType: input.caseType, urgent: input.urgent, referrals },
  };
}

/** A routing plan checked before anything is written: at least one referral, each well formed. */
export function checkedPlan(planned: readonly PlannedReferral[], caseTrackingNumber: string): PlannedReferral[] {
  const parsed = Planned.safeParse(planned);
  if (!parsed.success) {
    throw new AppError('invalid_referral_plan', `Referral plan for case ${caseTrackingNumber} is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}`, 400);
  }
  return parsed.data;
}

/**
 * Turns a routed case into referrals (转办件), one per planned item, each dispatched with its clock, its timers and
 * its announcement. Idempotent per case: a case that already has referrals gets them back and nothing new.
 */
export async function createReferrals(deps: ReferralDeps, input: CreateReferralsInput): Promise<{ created: boolean; referrals: Referral[] }> {
  const parsed = { data: checkedPlan(input.planned, input.caseTrackingNumber) };
  const actor = input.actor ?? { type: 'system' };
  const done = await deps.db.$transaction(async (tx) => {
    // The case row lock makes concurrent calls for one case take turns, so the second finds the first's referrals.
    const rows = await tx.$queryRaw<{ trackingNumber: string; townshipId: string | null }[]>`
      SELECT "trackingNumber", "townshipId" FROM "Case" WHERE id = ${input.caseId}::uuid FOR UPDATE`;
    const c = rows[0];
    if (!c) throw notFound(`Case ${input.caseTrackingNumber}`);
    if (c.trackingNumber !== input.caseTrackingNumber) {
      throw new AppError('case_mismatch', `Case ${input.caseId} has tracking number ${c.trackingNumber}, not ${input.caseTrackingNumber}; pass the case's own number`, 400);
    }
    const existing = await tx.referral.findMany({ where: { caseId: input.caseId }, orderBy: { createdAt: 'asc' } });
    if (existing.length > 0) return { created: false, referrals: existing, timers: [], messageKeys: [] };

    const made = [];
    // The case has no referral yet (checked under its lock): they are numbered -1, -2, … in plan order.
    for (const [i, planned] of parsed.data.entries()) {
      const trackingNumber = `${input.caseTrackingNumber}-${i + 1}`;
      made.push(
        await dispatchReferral(tx, deps, { caseId: input.caseId, caseTownshipId: c.townshipId, trackingNumber, planned, urgent: input.urgent, now: input.now, actor }),
      );
    }
    const messageKeys = await stageOutbound(tx, made.flatMap((m) => m.messages), input.now);
    await tx.case.updateMany({ where: { id: input.caseId, status: 'accepted' }, data: { status: 'routed' } });
    await audit.record(tx, referredEntry(input, made.map((m) => m.referral.trackingNumber), actor));
    return { created: true, referrals: made.map((m) => m.referral), timers: made.flatMap((m) => m.timers), messageKeys };
  });
  if (done.created) {
    deps.logger.info({ case: input.caseTrackingNumber, referrals: done.referrals.map((r) => r.trackingNumber) }, 'referrals dispatched');
    await afterCommit(deps, { trackingNumber: input.caseTrackingNumber, timers: { armed: done.timers, disarmed: [] }, messageKeys: done.messageKeys, created: true });
  }
  return { created: done.created, referrals: done.referrals };
}
