import type { Db } from '../db/client.js';
import { notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { maskedApplicant, maskedCase } from '../cases/masked-case.js';
import { caseScope } from './scopes.js';

/** A case as staff see it by default: personal data masked (src/cases/masked-case.ts). Out-of-scope cases are "not found", so existence does not leak. */
export async function readCase(db: Db, staff: StaffPrincipal, trackingNumber: string) {
  const c = await db.case.findFirst({
    where: { AND: [{ trackingNumber }, caseScope(staff)] },
    include: {
      township: true,
      village: true,
      referrals: { include: { agency: true, township: true }, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }] },
    },
  });
  if (!c) throw notFound(`Case ${trackingNumber}`);
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
