import type { Prisma } from '../generated/prisma/client.js';
import type { Tx } from './outbound.js';
import type { Actor } from './ports.js';

type Snapshot = Record<string, unknown>;

/** Plain JSON for the audit trail: dates as ISO strings, undefined dropped. */
function json(values: Snapshot): Prisma.InputJsonObject {
  const out: Record<string, Prisma.InputJsonValue | null> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = v instanceof Date ? v.toISOString() : (v as Prisma.InputJsonValue | null);
  }
  return out;
}

/** The fields of `before` that `after` changes, so an audit event shows exactly what moved. */
export function changedFrom(before: Snapshot, after: Snapshot): Snapshot {
  return Object.fromEntries(Object.keys(after).map((k) => [k, before[k] ?? null]));
}

/** One entry of the append-only trail about anything (a case, a conversation, a staff member…). */
export async function recordEvent(
  tx: Pick<Tx, 'auditEvent'>,
  e: {
    at: Date;
    actor: Actor;
    action: string;
    entity: string;
    entityId?: string | null;
    caseId?: string | null;
    referralId?: string;
    before?: Snapshot;
    after?: Snapshot;
    reason?: string;
  },
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      at: e.at,
      actorType: e.actor.type,
      actorId: e.actor.type === 'system' ? null : (e.actor.id ?? null),
      action: e.action,
      caseId: e.caseId ?? null,
      ...(e.referralId ? { referralId: e.referralId } : {}),
      entity: e.entity,
      entityId: e.entityId ?? null,
      before: e.before ? json(e.before) : undefined,
      after: e.after ? json(e.after) : undefined,
      reason: e.reason ?? null,
    },
  });
}

/** One entry of the append-only trail (环环有痕迹、步步能倒查). */
export async function recordReferralEvent(
  tx: Tx,
  e: { at: Date; actor: Actor; action: string; referral: { id: string; caseId: string }; before?: Snapshot; after?: Snapshot; reason?: string },
): Promise<void> {
  const { referral, ...event } = e;
  await recordEvent(tx, { ...event, entity: 'referral', entityId: referral.id, caseId: referral.caseId, referralId: referral.id });
}
