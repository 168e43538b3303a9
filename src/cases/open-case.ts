import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import { Channel } from '../domain/messages.js';
import { maskIdNumber, maskPersonalNumbers } from '../privacy/personal-numbers.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { nextTrackingNumber } from './tracking-number.js';

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
});
export type OpenCaseInput = z.input<typeof OpenCaseInput>;

export type OpenedCase = { id: string; trackingNumber: string; created: boolean };

/**
 * Records a case from a dialog (or a staff member). Idempotent on the message
 * that opened it, so a retried turn finds its case instead of opening another.
 * The ID number is stored encrypted with a keyed hash for finding the same person.
 */
export async function openCase(
  deps: { db: Db; cipher: PersonalDataCipher; directory: LoadedDirectory; now: Date },
  raw: OpenCaseInput,
): Promise<OpenedCase> {
  const input = OpenCaseInput.parse(raw);
  const { db, cipher, directory } = deps;
  if (input.openedByMessageId) {
    const existing = await db.case.findUnique({ where: { openedByMessageId: input.openedByMessageId } });
    if (existing) return { id: existing.id, trackingNumber: existing.trackingNumber, created: false };
  }
  const a = input.applicant;
  const idNumber = a.idNumber?.toUpperCase();
  const idNumberHash = idNumber ? cipher.lookupHash(idNumber) : undefined;
  const idNumberEnc = idNumber ? cipher.encrypt(idNumber) : undefined;
  const townshipId = a.townshipCode ? directory.townshipId(a.townshipCode) : undefined;
  const villageId = a.townshipCode && a.villageCode ? directory.villageId(a.townshipCode, a.villageCode) : undefined;
  const tz = directory.directory.county.timezone;

  // Free text is stored with any ID or phone number in it masked: the ID lives encrypted and the phone in its own field.
  const words = (t: string | undefined) => (t === undefined ? null : maskPersonalNumbers(t));
  const emergency = input.emergency as Record<string, unknown> | undefined;
  const emergencyWords = emergency
    ? Object.fromEntries(Object.entries(emergency).map(([k, v]) => [k, ['what', 'address', 'affected'].includes(k) && typeof v === 'string' ? maskPersonalNumbers(v) : v]))
    : undefined;
  const fields = {
    type: input.type,
    status: input.complete ? ('accepted' as const) : ('incomplete' as const),
    urgent: input.urgent,
    urgentReason: words(input.urgentReason),
    categories: input.categoriesHint,
    channel: input.channel,
    conversationId: input.conversationId ?? null,
    applicantName: a.name ?? null,
    applicantSex: a.sex ?? null,
    idNumberEnc: idNumberEnc ?? null,
    idNumberHash: idNumberHash ?? null,
    idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
    phone: a.phone ?? null,
    householdSize: a.householdSize ?? null,
    townshipId: townshipId ?? null,
    villageId: villageId ?? null,
    address: words(a.address),
    relation: a.relation ?? null,
    reason: words(a.reason),
    consentGiven: input.consent?.given ?? null,
    consentAt: input.consent?.at ?? null,
    consentChannel: input.consent?.channel ?? null,
    emergency: (emergencyWords as object | undefined) ?? undefined,
  };

  return db.$transaction(async (tx) => {
    const resident = idNumberHash
      ? await tx.resident.upsert({
          where: { idNumberHash },
          create: { idNumberHash, idNumberEnc, idNumberMasked: maskIdNumber(idNumber!), name: a.name ?? null, phone: a.phone ?? null },
          update: { ...(a.name ? { name: a.name } : {}), ...(a.phone ? { phone: a.phone } : {}) },
        })
      : undefined;
    if (resident && input.identityId) {
      await tx.channelIdentity.update({ where: { id: input.identityId }, data: { residentId: resident.id } });
    }
    const earlier = input.completes
      ? await tx.case.findFirst({ where: { trackingNumber: input.completes, status: 'incomplete' } })
      : null;
    const trackingNumber = earlier?.trackingNumber ?? (await nextTrackingNumber(tx, deps.now, tz));
    const residentId = resident?.id ?? earlier?.residentId ?? null;
    const created = earlier
      ? await tx.case.update({ where: { id: earlier.id }, data: { ...fields, residentId } })
      : await tx.case.create({
          data: { ...fields, trackingNumber, residentId, openedByMessageId: input.openedByMessageId ?? null, createdAt: deps.now },
        });
    await tx.auditEvent.create({
      data: {
        at: deps.now,
        actorType: 'resident',
        actorId: input.identityId ?? null,
        action: earlier ? 'case.completed' : input.complete ? 'case.opened' : 'case.saved_incomplete',
        caseId: created.id,
        entity: 'case',
        entityId: created.id,
        after: { trackingNumber, type: input.type, channel: input.channel, urgent: input.urgent, township: a.townshipCode ?? null, missing: input.missing },
      },
    });
    return { id: created.id, trackingNumber, created: !earlier };
  });
}
