import type { Referral } from '../generated/prisma/client.js';
import type { ReferralStep } from '../generated/prisma/enums.js';
import type { PlannedReferral } from '../routing/types.js';
import { recordReferralEvent } from './audit.js';
import { ladder, referralDeadlines } from './clocks.js';
import { announcementText } from './messages.js';
import { staffMessages, type OutboundDraft, type Tx } from './outbound.js';
import type { Actor, ReferralDeps, TimerRef } from './ports.js';
import { countyWindow, resolveUnit } from './units.js';

/** What to dispatch: a routing plan's item, or a follow-on step routing never plans (补办手续). */
export type DispatchPlan = Omit<PlannedReferral, 'step'> & { step: ReferralStep };

/** A referral that follows on from another one's answer: the unit's own next work, signed for at once. */
export interface FollowOn {
  follows: Pick<Referral, 'id' | 'trackingNumber'>;
  signedById: string | null;
}

export interface Dispatched {
  referral: Referral;
  timers: TimerRef[];
  messages: OutboundDraft[];
}

/**
 * Creates one referral, already dispatched to its unit: deadlines from the directory's limits, the escalation ladder
 * as timer rows, and the announcement to the unit's staff. A unit the directory does not know, or one without WeCom
 * staff, hands the work or the announcement to the county window, so nothing is dropped silently. A `followOn`
 * referral is created signed by its unit, so its ladder has no duty step and nobody is asked to sign.
 */
export async function dispatchReferral(
  tx: Tx,
  deps: ReferralDeps,
  input: {
    caseId: string;
    caseTownshipId: string | null;
    trackingNumber: string;
    planned: DispatchPlan;
    urgent: boolean;
    now: Date;
    actor: Actor;
    followOn?: FollowOn;
  },
): Promise<Dispatched> {
  const { planned, urgent, now, followOn } = input;
  const named = resolveUnit(deps.directory, planned.unit);
  if (!named) {
    deps.logger.warn(
      { code: 'unknown_unit', unit: planned.unit, trackingNumber: input.trackingNumber },
      'planned unit is not in the county directory; the referral goes to the county window for manual dispatch',
    );
  }
  const unit = named ?? countyWindow(deps.directory);
  const deadlines = referralDeadlines(deps, { step: planned.step, category: planned.category, urgent }, now);
  const referral = await tx.referral.create({
    data: {
      caseId: input.caseId,
      trackingNumber: input.trackingNumber,
      category: planned.category,
      role: planned.role,
      step: planned.step,
      unitKind: unit.kind,
      agencyId: unit.agencyId,
      townshipId: unit.townshipId,
      status: followOn ? 'signed' : 'dispatched',
      urgent,
      signDueAt: deadlines.sign,
      dueAt: deadlines.handle,
      dispatchedAt: now,
      ...(followOn ? { signedAt: now, signedById: followOn.signedById, followsId: followOn.follows.id } : {}),
      createdAt: now,
    },
  });
  const plan = ladder(deps, { urgent, signedAt: referral.signedAt }, now, deadlines.handle);
  await tx.referralTimer.createMany({ data: plan.map((e) => ({ referralId: referral.id, step: e.step, dueAt: e.at })) });
  const staff = unit.staff.length > 0 ? unit.staff : countyWindow(deps.directory).staff;
  const messages = staffMessages(deps, {
    keyBase: `referral.${referral.id}.announce`,
    userIds: staff,
    text: announcementText(deps, referral, input.caseTownshipId),
    purpose: 'announce',
  });
  await recordReferralEvent(tx, {
    at: now,
    actor: input.actor,
    action: 'referral.dispatched',
    referral,
    after: {
      trackingNumber: referral.trackingNumber,
      unit: `${unit.kind}:${unit.code}`,
      ...(named ? {} : { plannedUnit: `${planned.unit.kind}:${planned.unit.code}` }),
      category: referral.category,
      role: referral.role,
      step: referral.step,
      urgent,
      signDueAt: referral.signDueAt,
      dueAt: referral.dueAt,
      ...(followOn ? { follows: followOn.follows.trackingNumber, signedAt: referral.signedAt, signedById: referral.signedById } : {}),
    },
  });
  return { referral, timers: plan.map((e) => ({ referralId: referral.id, step: e.step, dueAt: e.at })), messages };
}

/**
 * Locks a case for one more referral after routing (a re-route, a follow-on) and names it: the row lock keeps two
 * such referrals of one case from taking the same tracking number.
 */
export async function claimNextNumber(tx: Tx, caseId: string): Promise<{ trackingNumber: string; caseTownshipId: string | null }> {
  await tx.$queryRaw`SELECT id FROM "Case" WHERE id = ${caseId}::uuid FOR UPDATE`;
  const c = await tx.case.findUniqueOrThrow({ where: { id: caseId }, select: { trackingNumber: true, townshipId: true, _count: { select: { referrals: true } } } });
  return { trackingNumber: `${c.trackingNumber}-${c._count.referrals + 1}`, caseTownshipId: c.townshipId };
}
