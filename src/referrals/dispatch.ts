import { v7 as uuidv7 } from 'uuid';
import * as audit from '../audit/record.js';
import type { AuditEntry } from '../audit/record.js';
import { CREATED_AT, iso, type SqlParams } from '../db/statement.js';
import type { Referral } from '../generated/prisma/client.js';
import type { ReferralStep } from '../generated/prisma/enums.js';
import type { PlannedReferral } from '../routing/types.js';
import { referralEntry } from './audit.js';
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

/** What dispatching a referral needs to know. */
export interface DispatchInput {
  caseId: string;
  caseTownshipId: string | null;
  trackingNumber: string;
  planned: DispatchPlan;
  urgent: boolean;
  now: Date;
  actor: Actor;
  followOn?: FollowOn;
}

/** The columns a dispatched Referral row is created with (the rest keep their defaults). */
export type ReferralRow = Pick<
  Referral,
  'id' | 'caseId' | 'trackingNumber' | 'category' | 'role' | 'step' | 'unitKind' | 'agencyId' | 'townshipId' | 'status' | 'urgent' | 'signDueAt' | 'dueAt' | 'dispatchedAt' | 'signedAt' | 'signedById' | 'followsId' | 'createdAt'
>;

/** A referral worked out and not yet written: its row, its timer rows, its announcement and its trail entry. */
export interface DispatchDraft {
  row: ReferralRow;
  timers: TimerRef[];
  messages: OutboundDraft[];
  audit: AuditEntry;
}

/**
 * Works out one referral, already dispatched to its unit: deadlines from the directory's limits, the escalation ladder
 * as timer rows, and the announcement to the unit's staff. A unit the directory does not know, or one without WeCom
 * staff, hands the work or the announcement to the county window, so nothing is dropped silently. A `followOn`
 * referral is created signed by its unit, so its ladder has no duty step and nobody is asked to sign. Nothing is
 * written: dispatchReferral writes it in a transaction, insertDispatchedSql in one statement with other changes.
 */
export function draftDispatch(deps: Pick<ReferralDeps, 'directory' | 'calendar' | 'config' | 'logger'>, input: DispatchInput): DispatchDraft {
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
  const referral: ReferralRow = {
    id: uuidv7(),
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
    signedAt: followOn ? now : null,
    signedById: followOn ? followOn.signedById : null,
    followsId: followOn ? followOn.follows.id : null,
    createdAt: now,
  };
  const plan = ladder(deps, { urgent, signedAt: referral.signedAt }, now, deadlines.handle);
  const staff = unit.staff.length > 0 ? unit.staff : countyWindow(deps.directory).staff;
  const messages = staffMessages(deps, {
    keyBase: `referral.${referral.id}.announce`,
    userIds: staff,
    text: announcementText(deps, referral, input.caseTownshipId),
    purpose: 'announce',
  });
  const entry = referralEntry({
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
  return { row: referral, timers: plan.map((e) => ({ referralId: referral.id, step: e.step, dueAt: e.at })), messages, audit: entry };
}

/** Creates one referral, already dispatched to its unit (draftDispatch), inside the caller's transaction. */
export async function dispatchReferral(tx: Tx, deps: ReferralDeps, input: DispatchInput): Promise<Dispatched> {
  const draft = draftDispatch(deps, input);
  const referral = await tx.referral.create({ data: draft.row });
  await tx.referralTimer.createMany({ data: draft.timers.map((t) => ({ referralId: t.referralId, step: t.step, dueAt: t.dueAt })) });
  await audit.record(tx, draft.audit);
  return { referral, timers: draft.timers, messages: draft.messages };
}

/**
 * Part of a plain-SQL statement: the CTE bodies that write drafted referrals and their timer rows, for a hot path
 * that commits many tables in one statement (opening a case: src/cases/confirm-case.ts). Their trail entries and
 * announcements go through the audit and message owners' own parts (audit.recordSql, stageOutboundSql).
 */
export function insertDispatchedSql(p: SqlParams, drafts: readonly DispatchDraft[]): { referrals: string; timers: string } {
  const rows = drafts.map((d) => d.row);
  const col = <T>(f: (r: ReferralRow) => T) => p.add(rows.map(f));
  const at = (d: Date | null) => (d ? iso(d) : null);
  const timers = drafts.flatMap((d) => d.timers);
  return {
    referrals: `INSERT INTO "Referral" (id, "caseId", "trackingNumber", category, role, step, "unitKind", "agencyId", "townshipId", status, urgent, "signDueAt", "dueAt", "dispatchedAt", "signedAt", "signedById", "followsId", "createdAt", "updatedAt")
       SELECT r.id, r.case_id, r.tracking_number, r.category, r.role, r.step, r.unit_kind, r.agency_id, r.township_id, r.status, r.urgent, r.sign_due_at, r.due_at, r.dispatched_at, r.signed_at, r.signed_by_id, r.follows_id, r.created_at, ${CREATED_AT}
         FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.caseId)}::uuid[], ${col((r) => r.trackingNumber)}::text[], ${col((r) => r.category)}::text[],
                     ${col((r) => r.role)}::"ReferralRole"[], ${col((r) => r.step)}::"ReferralStep"[], ${col((r) => r.unitKind)}::"UnitKind"[], ${col((r) => r.agencyId)}::uuid[],
                     ${col((r) => r.townshipId)}::uuid[], ${col((r) => r.status)}::"ReferralStatus"[], ${col((r) => r.urgent)}::boolean[], ${col((r) => iso(r.signDueAt))}::timestamp[],
                     ${col((r) => iso(r.dueAt))}::timestamp[], ${col((r) => at(r.dispatchedAt))}::timestamp[], ${col((r) => at(r.signedAt))}::timestamp[], ${col((r) => r.signedById)}::uuid[],
                     ${col((r) => r.followsId)}::uuid[], ${col((r) => iso(r.createdAt))}::timestamp[])
              AS r(id, case_id, tracking_number, category, role, step, unit_kind, agency_id, township_id, status, urgent, sign_due_at, due_at, dispatched_at, signed_at, signed_by_id, follows_id, created_at)`,
    timers: `INSERT INTO "ReferralTimer" (id, "referralId", step, "dueAt")
       SELECT * FROM unnest(${p.add(timers.map(() => uuidv7()))}::uuid[], ${p.add(timers.map((t) => t.referralId))}::uuid[], ${p.add(timers.map((t) => t.step))}::text[], ${p.add(timers.map((t) => iso(t.dueAt)))}::timestamp[])`,
  };
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
