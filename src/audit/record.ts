import { CREATED_AT, iso, type SqlParams } from '../db/statement.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * The append-only trail (环环有痕迹、步步能倒查): the one writer of AuditEvent rows. Every module that leaves a trace
 * (cases, referrals, duty tasks, conversations, staff, calls…) calls `record`; none writes the table itself
 * (test/structure/table-owners-duty-audit.test.ts checks it).
 */

type Snapshot = Record<string, unknown>;

/** Who did it: a staff member, a resident (by their channel identity, when known) or the system itself. */
export type AuditActor = { type: 'staff'; id: string } | { type: 'resident'; id?: string | null } | { type: 'system' };

export type AuditEntry = {
  /** When; left out, the database's own clock stamps it. */
  at?: Date;
  actor: AuditActor;
  action: string;
  entity: string;
  entityId?: string | null;
  caseId?: string | null;
  referralId?: string | null;
  before?: Snapshot;
  after?: Snapshot;
  reason?: string | null;
};

/** Anything that can write the trail: the client or a transaction. */
export type AuditWriter = Pick<Prisma.TransactionClient, 'auditEvent'>;

/** Plain JSON for the audit trail: dates as ISO strings, undefined dropped. */
function json(values: Snapshot): Prisma.InputJsonObject {
  const out: Record<string, Prisma.InputJsonValue | null> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = v instanceof Date ? v.toISOString() : (v as Prisma.InputJsonValue | null);
  }
  return out;
}

/**
 * One entry of the trail about anything (a case, a referral, a conversation, a staff member…). The write is returned
 * unawaited, so it can also stand in a batch transaction beside the change it records.
 */
export function record(db: AuditWriter, e: AuditEntry): Prisma.PrismaPromise<unknown> {
  return db.auditEvent.create({
    data: {
      ...(e.at ? { at: e.at } : {}),
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

/**
 * Part of a plain-SQL statement (a CTE body) that writes several entries of the trail at once, in the order given (their
 * ids follow it), for a hot path that commits many tables in one statement (opening a case: src/cases/confirm-case.ts).
 * The same rows `record` writes; an entry without `at` gets the statement's clock.
 */
export function recordSql(p: SqlParams, entries: readonly AuditEntry[]): string {
  const col = <T>(f: (e: AuditEntry) => T) => p.add(entries.map(f));
  return `INSERT INTO "AuditEvent" ("at", "actorType", "actorId", action, "caseId", "referralId", entity, "entityId", before, after, reason)
       SELECT COALESCE(e.at, ${CREATED_AT}), e.actor_type, e.actor_id, e.action, e.case_id, e.referral_id, e.entity, e.entity_id, e.before, e.after, e.reason
         FROM unnest(${col((e) => (e.at ? iso(e.at) : null))}::timestamp[], ${col((e) => e.actor.type)}::text[], ${col((e) => (e.actor.type === 'system' ? null : (e.actor.id ?? null)))}::text[],
                     ${col((e) => e.action)}::text[], ${col((e) => e.caseId ?? null)}::uuid[], ${col((e) => e.referralId ?? null)}::uuid[], ${col((e) => e.entity)}::text[],
                     ${col((e) => e.entityId ?? null)}::text[], ${col((e) => (e.before ? JSON.stringify(json(e.before)) : null))}::jsonb[],
                     ${col((e) => (e.after ? JSON.stringify(json(e.after)) : null))}::jsonb[], ${col((e) => e.reason ?? null)}::text[])
              WITH ORDINALITY AS e(at, actor_type, actor_id, action, case_id, referral_id, entity, entity_id, before, after, reason, n)
        ORDER BY e.n`;
}

/** The fields of `before` that `after` changes, so an audit event shows exactly what moved. */
export function changedFrom(before: Snapshot, after: Snapshot): Snapshot {
  return Object.fromEntries(Object.keys(after).map((k) => [k, before[k] ?? null]));
}
