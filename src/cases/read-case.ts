import type { Db } from '../db/client.js';
import { maskPersonalNumbers, maskPersonalNumbersIn, maskPhone } from '../privacy/personal-numbers.js';
import { notFound } from '../errors.js';
import type { StaffPrincipal } from '../http/auth.js';
import { caseScope } from './scope.js';

/** A case as staff see it by default: personal data masked. Out-of-scope cases are "not found", so existence does not leak. */
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
  return {
    trackingNumber: c.trackingNumber,
    type: c.type,
    status: c.status,
    categories: c.categories,
    urgent: c.urgent,
    urgentReason: c.urgentReason && maskPersonalNumbers(c.urgentReason),
    channel: c.channel,
    applicant: {
      name: c.applicantName,
      idNumberMasked: c.idNumberMasked,
      phoneMasked: c.phone ? maskPhone(c.phone) : null,
      householdSize: c.householdSize,
      township: c.township?.name ?? null,
      village: c.village?.name ?? null,
      // Free text the resident wrote: any number in it is masked like the fields above.
      address: c.address && maskPersonalNumbers(c.address),
      relation: c.relation,
      reason: c.reason && maskPersonalNumbers(c.reason),
    },
    consent: { given: c.consentGiven, at: c.consentAt?.toISOString() ?? null },
    // Emergency reports are the caller's free text: numbers in them are masked like any other personal data.
    emergency: c.emergency ? maskPersonalNumbersIn(c.emergency as unknown) : null,
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
