import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { CategoryCode } from '../domain/categories.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logging.js';
import { choiceNote, withResidentChoice } from '../routing/chosen.js';
import { classifyWithFallback, type LlmClassifier } from '../routing/llm.js';
import { planReferrals } from '../routing/plan.js';
import type { Classification, PlannedReferral } from '../routing/types.js';
import type { CaseType } from '../generated/prisma/enums.js';
import { findRelatedCases, type Related } from './duplicates.js';
import * as audit from '../audit/record.js';
import type { AuditEntry } from '../audit/record.js';

export type RouteCaseDeps = {
  db: Db;
  directory: LoadedDirectory;
  logger: Logger;
  llm?: LlmClassifier;
  now: () => Date;
  /** Creates the referrals with their clocks and timers (the jobs side). */
  createReferrals: (input: { caseId: string; caseTrackingNumber: string; caseType: 'emergency' | 'application' | 'enquiry' | 'clue'; urgent: boolean; planned: PlannedReferral[]; now: Date }) => Promise<unknown>;
  /** Flags a case a duty officer must see now. */
  flagUrgent: (input: { caseId: string; reason: string }) => Promise<void>;
};

export type RouteOutcome = { kind: 'routed'; categories: CategoryCode[]; urgent: boolean } | { kind: 'merged'; into: string };

/** What routing reads of a case: its kind, its story, what the resident chose, whether it is urgent already. */
export type RoutingFacts = {
  type: CaseType;
  reason: string | null;
  emergency: unknown;
  /** The classification stored when it was routed before (null: never routed). */
  classification: unknown;
  categories: string[];
  urgent: boolean;
};

/**
 * Classifies a case's story. The categories the resident chose in the dialog (open_case stored them as the case's
 * categories; once routed, the classification remembers them) lead an application over any keyword elsewhere in
 * the story; in an emergency the danger leads and they assist.
 */
export async function classifyCase(deps: { llm?: LlmClassifier }, c: RoutingFacts): Promise<{ classification: Classification; categories: CategoryCode[]; urgent: boolean }> {
  const emergency = (c.emergency ?? {}) as { what?: string; affected?: string };
  const text = [c.reason, emergency.what, emergency.affected].filter(Boolean).join('。');
  const routedBefore = c.classification as { chosen?: { codes?: CategoryCode[] } } | null;
  const chosen = routedBefore ? (routedBefore.chosen?.codes ?? []) : (c.categories as CategoryCode[]);
  const classification = withResidentChoice(await classifyWithFallback(text, deps.llm), chosen, c.type === 'emergency' ? 'assist' : 'lead');
  return { classification, categories: classification.categories.map((m) => m.code), urgent: c.urgent || classification.urgent };
}

/** The referrals routing plans for a classified case. */
export function planCase(directory: LoadedDirectory, c: { type: CaseType; townshipCode: string | null }, classification: Classification): PlannedReferral[] {
  return planReferrals({ classification, townshipCode: c.townshipCode, directory: directory.directory, caseType: c.type === 'clue' ? 'application' : c.type });
}

/** The trail entry of a case merged into the same person's open case for the same matter (并单). */
export function mergedEntry(caseId: string, into: string, now: Date): AuditEntry {
  return { at: now, actor: { type: 'system' }, action: 'case.merged', caseId, entity: 'case', entityId: caseId, after: { into, reason: 'same person, same matter, still open' } };
}

/** The trail entry of a routed case: its categories, urgency, planned referrals and the cases linked to it. */
export function routedEntry(
  directory: LoadedDirectory,
  caseId: string,
  r: { categories: CategoryCode[]; urgent: boolean; classification: Classification; planned: PlannedReferral[]; related: Related[] },
  now: Date,
): AuditEntry {
  const { classification } = r;
  return {
    at: now,
    actor: { type: 'system' },
    action: 'case.routed',
    caseId,
    entity: 'case',
    entityId: caseId,
    after: {
      categories: r.categories,
      urgent: r.urgent,
      source: classification.source,
      referrals: r.planned.map((p) => `${p.role}:${p.category}→${p.unit.kind}:${p.unit.code}`),
      linked: r.related.map((x) => x.trackingNumber),
      ...(classification.chosen ? { choice: choiceNote(classification, (code) => directory.directory.categories.find((x) => x.code === code)?.name ?? code) } : {}),
    },
  };
}

/** Why a duty officer must look at a routed case now, if they must: urgent by classification, or not clearly safe. */
export function urgentFlagReason(classification: Classification, wasUrgent: boolean, urgent: boolean): string | undefined {
  if (classification.urgent && !wasUrgent) return classification.urgentReason ?? '分类规则判断为紧急';
  // Not clearly safe: a person calls back rather than the case waiting its turn.
  if (classification.urgencyUnsure && !urgent) return '所述情况是否有人正处于危险中拿不准，请回电确认';
  return undefined;
}

/**
 * Classifies a confirmed case, catches a repeat request of the same person
 * (merged into the open case, 并单) or a different matter of theirs (linked so
 * staff see the whole household), and creates the routed referrals. A dialog's confirmation opens and routes its case
 * in one statement (src/cases/confirm-case.ts); this routes a case already stored, step by step.
 */
export async function routeCase(deps: RouteCaseDeps, caseId: string): Promise<RouteOutcome> {
  const { db, directory } = deps;
  const now = deps.now();
  const c = await db.case.findUniqueOrThrow({ where: { id: caseId }, include: { township: true } });
  const { classification, categories, urgent } = await classifyCase(deps, c);

  const related = await findRelatedCases(db, { id: c.id, idNumberHash: c.idNumberHash, phone: c.phone, categories }, now);
  const same = related.find((r) => r.sameMatter);
  if (same && !urgent) {
    await db.$transaction([
      db.case.update({ where: { id: c.id }, data: { status: 'merged', mergedIntoId: same.id, categories, classification: classification as Prisma.InputJsonValue } }),
      audit.record(db, mergedEntry(c.id, same.trackingNumber, now)),
    ]);
    return { kind: 'merged', into: same.trackingNumber };
  }
  if (related.length > 0) {
    await db.caseLink.createMany({ data: related.map((r) => ({ fromId: c.id, toId: r.id, kind: r.sameMatter ? 'same_matter' : 'same_person' })), skipDuplicates: true });
  }

  const planned = planCase(directory, { type: c.type, townshipCode: c.township?.code ?? null }, classification);
  await db.case.update({
    where: { id: c.id },
    data: {
      categories,
      classification: classification as Prisma.InputJsonValue,
      urgent,
      urgentReason: c.urgentReason ?? classification.urgentReason ?? null,
      status: 'routed',
    },
  });
  await audit.record(db, routedEntry(directory, c.id, { categories, urgent, classification, planned, related }, now));
  await deps.createReferrals({ caseId: c.id, caseTrackingNumber: c.trackingNumber, caseType: c.type, urgent, planned, now });
  const flag = urgentFlagReason(classification, c.urgent, urgent);
  if (flag) await deps.flagUrgent({ caseId: c.id, reason: flag });
  return { kind: 'routed', categories, urgent };
}

/** Routes a case a dialog has just completed; the dialog only needs to know whether it joined an open case (并单). */
export async function routeOpenedCase(deps: RouteCaseDeps, caseId: string): Promise<{ mergedInto?: string }> {
  const outcome = await routeCase(deps, caseId);
  return outcome.kind === 'merged' ? { mergedInto: outcome.into } : {};
}
