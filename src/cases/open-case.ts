import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import { Channel } from '../domain/messages.js';
import { maskIdNumber, maskPersonalNumbers } from '../privacy/personal-numbers.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { v7 as uuidv7 } from 'uuid';
import * as audit from '../audit/record.js';
import type { AuditEntry } from '../audit/record.js';
import { CREATED_AT, iso, type SqlParams } from '../db/statement.js';
import { localDay, nextTrackingNumber } from './tracking-number.js';
import type { TrackingNumbers } from '../domain/tracking-number.js';
import { identityCheckEntry, identityDisputed } from './identity-check.js';

export const OpenCaseInput = z.object({
  type: z.enum(['emergency', 'application', 'enquiry', 'clue']),
  /** false: the resident stopped before confirming; kept as an incomplete case for a callback. */
  complete: z.boolean(),
  /** Tracking number of a case saved earlier as incomplete that this one completes (never a duplicate). */
  completes: z.string().optional(),
  /** What the resident did not give, so staff know what to ask on the callback. */
  missing: z.array(z.string()).default([]),
  /** Categories the dialog already heard, a hint for routing. */
  categoriesHint: z.array(z.string()).default([]),
  channel: Channel,
  conversationId: z.string().uuid().optional(),
  identityId: z.string().uuid().optional(),
  openedByMessageId: z.string().uuid().optional(),
  applicant: z
    .object({
      name: z.string().optional(),
      idNumber: z.string().optional(),
      sex: z.enum(['male', 'female']).optional(),
      householdSize: z.number().int().positive().optional(),
      townshipCode: z.string().optional(),
      villageCode: z.string().optional(),
      address: z.string().optional(),
      phone: z.string().optional(),
      relation: z.string().optional(),
      reason: z.string().optional(),
    })
    .default({}),
  consent: z.object({ given: z.boolean(), at: z.coerce.date(), channel: Channel }).optional(),
  emergency: z.record(z.string(), z.unknown()).optional(),
  urgent: z.boolean().default(false),
  urgentReason: z.string().optional(),
  /**
   * The ID number was registered under another name: what the resident answered (src/cases/identity-check.ts). Unless
   * they said it is the same person, the case is not merged and the person on record is left as they were.
   */
  identityCheck: z
    .object({ mismatch: z.boolean(), answer: z.enum(['same_person', 'different_person', 'unsure']).optional(), idRetold: z.boolean().optional() })
    .optional(),
});
export type OpenCaseInput = z.input<typeof OpenCaseInput>;

export type OpenedCase = { id: string; trackingNumber: string; created: boolean };

type ParsedInput = z.output<typeof OpenCaseInput>;

/** The Case columns a dialog's record fills in (status, categories and urgency as recorded, before routing). */
export type CaseFields = ReturnType<typeof caseFields>;

/** The person behind the case, found again by the keyed hash of their ID number. */
export type ResidentFacts = { idNumberHash: string; idNumberEnc: string; idNumberMasked: string; name: string | null; phone: string | null };

/** A case worked out from its input and not yet written: its columns, its resident, its day and its trail entry. */
export type PreparedCase = {
  input: ParsedInput;
  fields: CaseFields;
  resident: ResidentFacts | undefined;
  /** The local day whose sequence numbers it (YYYYMMDD). */
  day: string;
  /** The trail entry of its recording, once its tracking number is known (`completed`: it completes an earlier one). */
  entry(caseId: string, trackingNumber: string, completed: boolean): AuditEntry;
  /** The resident did not say the person on record is them: no merge, no change to that person, no link to them. */
  disputed: boolean;
  /** The trail entry (the note staff read) of the check of the ID number against its name, when there is one. */
  identityEntry(caseId: string, mergedInto: string | undefined): AuditEntry | undefined;
};

function caseFields(input: ParsedInput, facts: { idNumber?: string; idNumberHash?: string; idNumberEnc?: string; townshipId?: string; villageId?: string }) {
  const a = input.applicant;
  // Free text is stored with any ID or phone number in it masked: the ID lives encrypted and the phone in its own field.
  const words = (t: string | undefined) => (t === undefined ? null : maskPersonalNumbers(t));
  const emergency = input.emergency as Record<string, unknown> | undefined;
  const emergencyWords = emergency
    ? Object.fromEntries(Object.entries(emergency).map(([k, v]) => [k, ['what', 'address', 'affected'].includes(k) && typeof v === 'string' ? maskPersonalNumbers(v) : v]))
    : undefined;
  return {
    type: input.type,
    status: input.complete ? ('accepted' as const) : ('incomplete' as const),
    urgent: input.urgent,
    urgentReason: words(input.urgentReason),
    categories: input.categoriesHint,
    channel: input.channel,
    conversationId: input.conversationId ?? null,
    applicantName: a.name ?? null,
    applicantSex: a.sex ?? null,
    idNumberEnc: facts.idNumberEnc ?? null,
    idNumberHash: facts.idNumberHash ?? null,
    idNumberMasked: facts.idNumber ? maskIdNumber(facts.idNumber) : null,
    phone: a.phone ?? null,
    householdSize: a.householdSize ?? null,
    townshipId: facts.townshipId ?? null,
    villageId: facts.villageId ?? null,
    address: words(a.address),
    relation: a.relation ?? null,
    reason: words(a.reason),
    consentGiven: input.consent?.given ?? null,
    consentAt: input.consent?.at ?? null,
    consentChannel: input.consent?.channel ?? null,
    emergency: (emergencyWords as object | undefined) ?? undefined,
  };
}

/**
 * Works out what recording a case writes, without writing it: the input checked, the ID number encrypted with its
 * keyed hash, free text masked, the township and village found in the directory.
 */
export function prepareCase(deps: { cipher: PersonalDataCipher; directory: LoadedDirectory; now: Date }, raw: OpenCaseInput): PreparedCase {
  const input = OpenCaseInput.parse(raw);
  const { cipher, directory } = deps;
  const a = input.applicant;
  const idNumber = a.idNumber?.toUpperCase();
  const idNumberHash = idNumber ? cipher.lookupHash(idNumber) : undefined;
  const idNumberEnc = idNumber ? cipher.encrypt(idNumber) : undefined;
  const townshipId = a.townshipCode ? directory.townshipId(a.townshipCode) : undefined;
  const villageId = a.townshipCode && a.villageCode ? directory.villageId(a.townshipCode, a.villageCode) : undefined;
  const fields = caseFields(input, { idNumber, idNumberHash, idNumberEnc, townshipId, villageId });
  // A name the resident did not confirm as the same person's does not overwrite the one on record (nor the phone).
  const disputed = identityDisputed(input.identityCheck);
  const check = input.identityCheck;
  return {
    input,
    fields,
    resident:
      idNumber && idNumberHash && idNumberEnc
        ? { idNumberHash, idNumberEnc, idNumberMasked: maskIdNumber(idNumber), name: disputed ? null : (a.name ?? null), phone: disputed ? null : (a.phone ?? null) }
        : undefined,
    disputed,
    identityEntry: (caseId, mergedInto) => (check ? identityCheckEntry({ caseId, identityId: input.identityId, at: deps.now }, check, mergedInto) : undefined),
    day: localDay(deps.now, directory.directory.county.timezone),
    entry: (caseId, trackingNumber, completed) => ({
      at: deps.now,
      actor: { type: 'resident', id: input.identityId },
      action: completed ? 'case.completed' : input.complete ? 'case.opened' : 'case.saved_incomplete',
      caseId,
      entity: 'case',
      entityId: caseId,
      after: { trackingNumber, type: input.type, channel: input.channel, urgent: input.urgent, township: a.townshipCode ?? null, missing: input.missing },
    }),
  };
}

/**
 * Records a case from a dialog (or a staff member). Idempotent on the message
 * that opened it, so a retried turn finds its case instead of opening another.
 * The ID number is stored encrypted with a keyed hash for finding the same person.
 */
export async function openCase(
  deps: { db: Db; cipher: PersonalDataCipher; directory: LoadedDirectory; tracking: TrackingNumbers; now: Date },
  raw: OpenCaseInput,
): Promise<OpenedCase> {
  const { db } = deps;
  const prepared = prepareCase(deps, raw);
  const { input, fields, resident: person } = prepared;
  if (input.openedByMessageId) {
    const existing = await db.case.findUnique({ where: { openedByMessageId: input.openedByMessageId } });
    if (existing) return { id: existing.id, trackingNumber: existing.trackingNumber, created: false };
  }
  const tz = deps.directory.directory.county.timezone;

  return db.$transaction(async (tx) => {
    const resident = person
      ? await tx.resident.upsert({
          where: { idNumberHash: person.idNumberHash },
          create: person,
          update: { ...(person.name ? { name: person.name } : {}), ...(person.phone ? { phone: person.phone } : {}) },
        })
      : undefined;
    if (resident && input.identityId && !prepared.disputed) {
      await tx.channelIdentity.update({ where: { id: input.identityId }, data: { residentId: resident.id } });
    }
    const earlier = input.completes
      ? await tx.case.findFirst({ where: { trackingNumber: input.completes, status: 'incomplete' } })
      : null;
    const trackingNumber = earlier?.trackingNumber ?? (await nextTrackingNumber(tx, deps.tracking, deps.now, tz));
    const residentId = resident?.id ?? earlier?.residentId ?? null;
    const created = earlier
      ? await tx.case.update({ where: { id: earlier.id }, data: { ...fields, residentId } })
      : await tx.case.create({
          data: { ...fields, trackingNumber, residentId, openedByMessageId: input.openedByMessageId ?? null, createdAt: deps.now },
        });
    await audit.record(tx, prepared.entry(created.id, trackingNumber, !!earlier));
    const checked = prepared.identityEntry(created.id, undefined);
    if (checked) await audit.record(tx, checked);
    return { id: created.id, trackingNumber, created: !earlier };
  });
}

// ───────────────────────── one statement (src/cases/confirm-case.ts) ─────────────────────────

/** The columns a case is written with in one statement: as recorded, then as routed or merged. */
export type CaseRow = Omit<CaseFields, 'status'> & {
  id: string;
  status: 'accepted' | 'incomplete' | 'routed' | 'merged';
  trackingNumber: string;
  classification: unknown;
  mergedIntoId: string | null;
  openedByMessageId: string | null;
  createdAt: Date;
};

const CASE_COLUMNS = `type, status, urgent, "urgentReason", categories, classification, channel, "conversationId", "applicantName", "applicantSex", "idNumberEnc", "idNumberHash", "idNumberMasked", phone, "householdSize", "townshipId", "villageId", address, relation, reason, "consentGiven", "consentAt", "consentChannel", emergency, "mergedIntoId"`;

function caseValues(p: SqlParams, c: CaseRow): string[] {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  return [
    `${p.add(c.type)}::"CaseType"`,
    `${p.add(c.status)}::"CaseStatus"`,
    p.add(c.urgent),
    p.add(c.urgentReason),
    `${p.add(c.categories)}::text[]`,
    `${p.add(json(c.classification))}::jsonb`,
    `${p.add(c.channel)}::"ChannelKind"`,
    `${p.add(c.conversationId)}::uuid`,
    p.add(c.applicantName),
    p.add(c.applicantSex),
    p.add(c.idNumberEnc),
    p.add(c.idNumberHash),
    p.add(c.idNumberMasked),
    p.add(c.phone),
    `${p.add(c.householdSize)}::int`,
    `${p.add(c.townshipId)}::uuid`,
    `${p.add(c.villageId)}::uuid`,
    p.add(c.address),
    p.add(c.relation),
    p.add(c.reason),
    `${p.add(c.consentGiven)}::boolean`,
    `${p.add(c.consentAt ? iso(c.consentAt) : null)}::timestamp`,
    `${p.add(c.consentChannel)}::"ChannelKind"`,
    `${p.add(json(c.emergency))}::jsonb`,
    `${p.add(c.mergedIntoId)}::uuid`,
  ];
}

/**
 * Part of a plain-SQL statement (a CTE body, `RETURNING id`) that writes a case: a new row, or, with `completes`, the
 * earlier incomplete case it completes (kept as it was where this record says nothing: its number, its creation, an
 * emergency report it had). `residentId` is an SQL expression (the resident upserted beside it).
 */
export function writeCaseSql(p: SqlParams, c: CaseRow, residentId: string, completes?: string): string {
  const values = caseValues(p, c);
  if (completes) {
    const columns = CASE_COLUMNS.split(', ');
    const sets = columns.map((col, i) => (col === 'emergency' ? `emergency = COALESCE(${values[i]}, emergency)` : `${col} = ${values[i]}`));
    return `UPDATE "Case" SET ${sets.join(', ')}, "residentId" = ${residentId}, "updatedAt" = ${CREATED_AT}
       WHERE id = ${p.add(completes)}::uuid AND status = 'incomplete' RETURNING id`;
  }
  return `INSERT INTO "Case" (id, "trackingNumber", ${CASE_COLUMNS}, "residentId", "openedByMessageId", "createdAt", "updatedAt")
       VALUES (${p.add(c.id)}::uuid, ${p.add(c.trackingNumber)}, ${values.join(', ')}, ${residentId}, ${p.add(c.openedByMessageId)}::uuid, ${p.add(iso(c.createdAt))}::timestamp, ${CREATED_AT})
       RETURNING id`;
}

/** Part of a statement (a CTE body, `RETURNING id`): the resident found by their ID number's hash, created or brought up to date. */
export function upsertResidentSql(p: SqlParams, r: ResidentFacts): string {
  return `INSERT INTO "Resident" (id, name, "idNumberEnc", "idNumberHash", "idNumberMasked", phone, "createdAt", "updatedAt")
       VALUES (${p.add(uuidv7())}::uuid, ${p.add(r.name)}, ${p.add(r.idNumberEnc)}, ${p.add(r.idNumberHash)}, ${p.add(r.idNumberMasked)}, ${p.add(r.phone)}, ${CREATED_AT}, ${CREATED_AT})
       ON CONFLICT ("idNumberHash") DO UPDATE SET name = COALESCE(NULLIF(EXCLUDED.name, ''), "Resident".name), phone = COALESCE(NULLIF(EXCLUDED.phone, ''), "Resident".phone), "updatedAt" = EXCLUDED."updatedAt"
       RETURNING id`;
}

/** Part of a statement (a CTE body): the channel identity the resident wrote from now knows who they are. */
export function linkIdentitySql(p: SqlParams, identityId: string, residentId: string): string {
  return `UPDATE "ChannelIdentity" SET "residentId" = ${residentId} WHERE id = ${p.add(identityId)}::uuid RETURNING id`;
}

/**
 * Part of a statement (a CTE body): links from a case to the person's other cases (same matter or same person; an
 * unconfirmed person when the ID number was registered under another name and the resident did not say it is them).
 */
export function linkCasesSql(p: SqlParams, fromId: string, links: readonly { toId: string; kind: 'same_matter' | 'same_person' | 'unconfirmed_person' }[]): string {
  return `INSERT INTO "CaseLink" ("fromId", "toId", kind, "createdAt")
       SELECT ${p.add(fromId)}::uuid, l.to_id, l.kind, ${CREATED_AT} FROM unnest(${p.add(links.map((l) => l.toId))}::uuid[], ${p.add(links.map((l) => l.kind))}::text[]) AS l(to_id, kind)
       ON CONFLICT DO NOTHING`;
}
