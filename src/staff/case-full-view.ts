import { readCase } from './case-view.js';
import type { StaffDeps } from './ports.js';
import type { StaffPrincipal } from './principal.js';
import { recordDisclosure, requireReason } from './personal-data.js';

/**
 * A case with its ID number and phone in full, for a stated reason. Every role may do this within its scope (the
 * lookup is scoped, so a case out of scope is 404); each view is audited with who, when, why and what.
 */
export async function revealCase(deps: Pick<StaffDeps, 'db' | 'cipher'>, staff: StaffPrincipal, trackingNumber: string, reason: string | undefined, now: Date) {
  const why = requireReason(reason);
  const view = await readCase(deps.db, staff, trackingNumber);
  const c = await deps.db.case.findUniqueOrThrow({ where: { trackingNumber }, select: { id: true, idNumberEnc: true, phone: true } });
  const idNumber = c.idNumberEnc ? deps.cipher.decrypt(c.idNumberEnc) : null;
  const fields = [...(idNumber ? ['idNumber'] : []), ...(c.phone ? ['phone'] : [])];
  await recordDisclosure(deps.db, { staff, at: now, action: 'personal_data.viewed', entity: 'case', entityId: c.id, caseId: c.id, fields, reason: why });
  return { ...view, applicant: { ...view.applicant, idNumber, phone: c.phone }, disclosed: { fields, reason: why, at: now.toISOString() } };
}
