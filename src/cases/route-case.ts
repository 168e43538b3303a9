import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { CategoryCode } from '../domain/categories.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logging.js';
import { choiceNote, withResidentChoice } from '../routing/chosen.js';
import { classifyWithFallback, type LlmClassifier } from '../routing/llm.js';
import { planReferrals } from '../routing/plan.js';
import type { PlannedReferral } from '../routing/types.js';
import { findRelatedCases } from './duplicates.js';

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

/**
 * Classifies a confirmed case, catches a repeat request of the same person
 * (merged into the open case, 并单) or a different matter of theirs (linked so
 * staff see the whole household), and creates the routed referrals.
 */
export async function routeCase(deps: RouteCaseDeps, caseId: string): Promise<RouteOutcome> {
  const { db, directory } = deps;
  const now = deps.now();
  const c = await db.case.findUniqueOrThrow({ where: { id: caseId }, include: { township: true } });
  const emergency = (c.emergency ?? {}) as { what?: string; affected?: string };
  const text = [c.reason, emergency.what, emergency.affected].filter(Boolean).join('。');
  // The categories the resident chose in the dialog (open_case stored them as the case's categories;
  // once routed, the classification remembers them): they lead an application over any keyword
  // elsewhere in the story; in an emergency the danger leads and they assist.
  const routedBefore = c.classification as { chosen?: { codes?: CategoryCode[] } } | null;
  const chosen = routedBefore ? (routedBefore.chosen?.codes ?? []) : (c.categories as CategoryCode[]);
  const classification = withResidentChoice(await classifyWithFallback(text, deps.llm), chosen, c.type === 'emergency' ? 'assist' : 'lead');
  const categories = classification.categories.map((m) => m.code);
  const urgent = c.urgent || classification.urgent;

  const related = await findRelatedCases(db, { id: c.id, idNumberHash: c.idNumberHash, phone: c.phone, categories }, now);
  const same = related.find((r) => r.sameMatter);
  if (same && !urgent) {
    await db.$transaction([
      db.case.update({ where: { id: c.id }, data: { status: 'merged', mergedIntoId: same.id, categories, classification: classification as Prisma.InputJsonValue } }),
      db.auditEvent.create({
        data: { at: now, actorType: 'system', action: 'case.merged', caseId: c.id, entity: 'case', entityId: c.id, after: { into: same.trackingNumber, reason: 'same person, same matter, still open' } },
      }),
    ]);
    return { kind: 'merged', into: same.trackingNumber };
  }
  if (related.length > 0) {
    await db.caseLink.createMany({ data: related.map((r) => ({ fromId: c.id, toId: r.id, kind: r.sameMatter ? 'same_matter' : 'same_person' })), skipDuplicates: true });
  }

  const planned = planReferrals({ classification, townshipCode: c.township?.code ?? null, directory: directory.directory, caseType: c.type === 'clue' ? 'application' : c.type });
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
  await db.auditEvent.create({
    data: {
      at: now,
      actorType: 'system',
      action: 'case.routed',
      caseId: c.id,
      entity: 'case',
      entityId: c.id,
      after: {
        categories,
        urgent,
        source: classification.source,
        referrals: planned.map((p) => `${p.role}:${p.category}→${p.unit.kind}:${p.unit.code}`),
        linked: related.map((r) => r.trackingNumber),
        ...(classification.chosen ? { choice: choiceNote(classification, (code) => directory.directory.categories.find((x) => x.code === code)?.name ?? code) } : {}),
      },
    },
  });
  await deps.createReferrals({ caseId: c.id, caseTrackingNumber: c.trackingNumber, caseType: c.type, urgent, planned, now });
  if (classification.urgent && !c.urgent) await deps.flagUrgent({ caseId: c.id, reason: classification.urgentReason ?? '分类规则判断为紧急' });
  // Not clearly safe: a person calls back rather than the case waiting its turn.
  else if (classification.urgencyUnsure && !urgent) await deps.flagUrgent({ caseId: c.id, reason: '所述情况是否有人正处于危险中拿不准，请回电确认' });
  return { kind: 'routed', categories, urgent };
}
