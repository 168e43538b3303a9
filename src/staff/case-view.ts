import type { Db } from '../db/client.js';
import { notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { maskedApplicant, maskedCase } from '../cases/masked-case.js';
import { caseScope } from './scopes.js';
import { callbackNumbers } from './callback-numbers.js';
import { IDENTITY_CHECKED } from '../cases/identity-check.js';

/** Trail entries that are notes for whoever works the case (plain words, no name or number). */
const NOTE_ACTIONS = [IDENTITY_CHECKED];

/** A case as staff see it by default: personal data masked (src/cases/masked-case.ts). Out-of-scope cases are "not found", so existence does not leak. */
export async function readCase(db: Db, staff: StaffPrincipal, trackingNumber: string) {
  const c = await db.case.findFirst({
    where: { AND: [{ trackingNumber }, caseScope(staff)] },
    include: {
      township: true,
      village: true,
      referrals: { include: { agency: true, township: true }, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }] },
      conversation: { select: { channel: true, identity: { select: { address: true } } } },
    },
  });
  if (!c) throw notFound(`Case ${trackingNumber}`);
  const notes = await db.auditEvent.findMany({ where: { caseId: c.id, action: { in: NOTE_ACTIONS } }, orderBy: { id: 'asc' }, select: { at: true, reason: true } });
  const masked = maskedCase(c);
  return {
    trackingNumber: c.trackingNumber,
    type: c.type,
    status: c.status,
    categories: c.categories,
    urgent: c.urgent,
    urgentReason: masked.urgentReason,
    channel: c.channel,
    applicant: { name: c.applicantName, ...maskedApplicant(c) },
    consent: { given: c.consentGiven, at: c.consentAt?.toISOString() ?? null },
    /** Numbers to call back on, masked (in full only in the audited full view). */
    callback: callbackNumbers(staff, c, { full: false }),
    /** Notes for staff from the case's trail, e.g. an ID number registered under another name and what the resident said. */
    notes: notes.filter((n) => n.reason).map((n) => ({ at: n.at.toISOString(), text: n.reason! })),
    emergency: masked.emergency,
    referrals: c.referrals.map((r) => ({
      trackingNumber: r.trackingNumber,
      category: r.category,
      agency: r.agency?.name ?? null,
      township: r.township?.name ?? null,
      unitKind: r.unitKind,
      role: r.role,
      step: r.step,
      status: r.status,
      dueAt: r.dueAt.toISOString(),
    })),
    createdAt: c.createdAt.toISOString(),
  };
}
