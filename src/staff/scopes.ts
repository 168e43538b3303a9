import type { Prisma } from '../generated/prisma/client.js';
import type { StaffPrincipal } from './principal.js';

/**
 * What each role may see, as database filters: every list and every lookup goes through one of these, so scope
 * holds in the data layer and out-of-scope rows are simply not found.
 */

const NONE = { id: { in: [] as string[] } };

/** Cases: township and agency staff see only cases that concern their unit. */
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

/** Referrals: units see their own; the county (supervisors, duty officers) sees all. */
export function referralScope(staff: StaffPrincipal): Prisma.ReferralWhereInput {
  switch (staff.role) {
    case 'supervisor':
    case 'duty_officer':
      return {};
    case 'township_staff':
      return staff.townshipId ? { unitKind: 'township', townshipId: staff.townshipId } : NONE;
    case 'agency_staff':
      return staff.agencyId ? { unitKind: 'agency', agencyId: staff.agencyId } : NONE;
  }
}

/**
 * Referrals a staff member may act on (sign, answer, return, ask for time): the unit's own staff, and supervisors for
 * the county window's referrals, which they dispatch by hand. Duty officers only read.
 */
export function referralWorkScope(staff: StaffPrincipal): Prisma.ReferralWhereInput {
  switch (staff.role) {
    case 'supervisor':
      return { unitKind: 'county_window' };
    case 'duty_officer':
      return NONE;
    case 'township_staff':
    case 'agency_staff':
      return referralScope(staff);
  }
}

/** Conversations and the duty queue belong to the county's duty work. */
export function conversationScope(staff: StaffPrincipal): Prisma.ConversationWhereInput {
  return staff.role === 'supervisor' || staff.role === 'duty_officer' ? {} : NONE;
}

export function dutyTaskScope(staff: StaffPrincipal): Prisma.DutyTaskWhereInput {
  return staff.role === 'supervisor' || staff.role === 'duty_officer' ? {} : NONE;
}

/** The key-person roster is the township's; supervisors see every township's. */
export function keyPersonScope(staff: StaffPrincipal): Prisma.KeyPersonWhereInput {
  if (staff.role === 'supervisor') return {};
  if (staff.role === 'township_staff' && staff.townshipId) return { townshipId: staff.townshipId };
  return NONE;
}
