import type { Prisma } from '../generated/prisma/client.js';
import type { StaffPrincipal } from '../http/auth.js';

/**
 * Which cases a staff member may see, as a database filter, so scope holds in
 * the data layer: township and agency staff see only cases that concern their unit.
 */
export function caseScope(staff: StaffPrincipal): Prisma.CaseWhereInput {
  switch (staff.role) {
    case 'supervisor':
    case 'duty_officer':
      return {};
    case 'township_staff':
      return staff.townshipId
        ? { OR: [{ townshipId: staff.townshipId }, { referrals: { some: { townshipId: staff.townshipId } } }] }
        : { id: { in: [] } };
    case 'agency_staff':
      return staff.agencyId ? { referrals: { some: { agencyId: staff.agencyId } } } : { id: { in: [] } };
  }
}
