import { readCase } from './case-view.js';
import { callbackNumbers } from './callback-numbers.js';
import type { StaffDeps } from './ports.js';
import type { StaffPrincipal } from './principal.js';
import { recordDisclosure, requireReason } from './personal-data.js';

/**
 * A case with its ID number, phone and callback numbers in full, for a stated reason. Every role may do this within
 * its scope (the lookup is scoped, so a case out of scope is 404); the number the resident texted or called from is
 * conversation data, shown to duty officers and supervisors only (src/staff/callback-numbers.ts). Each view is
 * audited through the one audit writer with who, when, why and which fields.
 */
export async function revealCase(deps: Pick<StaffDeps, 'db' | 'cipher'>, staff: StaffPrincipal, trackingNumber: string, reason: string | undefined, now: Date) {
  const why = requireReason(reason);
  const view = await readCase(deps.db, staff, trackingNumber);
  const c = await deps.db.case.findUniqueOrThrow({
    where: { trackingNumber },
    select: { id: true, idNumberEnc: true, phone: true, emergency: true, conversation: { select: { channel: true, identity: { select: { address: true } } } } },
  });
  const idNumber = c.idNumberEnc ? deps.cipher.decrypt(c.idNumberEnc) : null;
  const callback = callbackNumbers(staff, c, { full: true });
  // The contact phone is listed as `phone`; the other callback numbers by their kind.
  const others = callback.filter((n) => n.kind !== 'applicant').map((n) => `callback.${n.kind}`);
  const fields = [...(idNumber ? ['idNumber'] : []), ...(c.phone ? ['phone'] : []), ...others];
  await recordDisclosure(deps.db, { staff, at: now, action: 'personal_data.viewed', entity: 'case', entityId: c.id, caseId: c.id, fields, reason: why });
  return { ...view, applicant: { ...view.applicant, idNumber, phone: c.phone }, callback, disclosed: { fields, reason: why, at: now.toISOString() } };
}
