import { AppError } from '../errors.js';
import type { StaffPrincipal } from './principal.js';

export type StaffRole = StaffPrincipal['role'];

export const ROLE_LABELS: Record<StaffRole, string> = {
  supervisor: '县级督办',
  duty_officer: '值班员',
  township_staff: '镇街工作人员',
  agency_staff: '部门工作人员',
};

/** Duty work (the flagged queue, holding conversations) is the county's: duty officers and supervisors. */
export const DUTY_ROLES: readonly StaffRole[] = ['duty_officer', 'supervisor'];

/**
 * Refuses with 403 when the role cannot do `what` at all. Data outside a staff member's scope is a different
 * matter: scoped lookups answer 404, so whether it exists does not leak.
 */
export function requireRole(staff: StaffPrincipal, roles: readonly StaffRole[], what: string, whatEn: string): void {
  if (roles.includes(staff.role)) return;
  throw new AppError(
    'forbidden',
    `${what}仅限${roles.map((r) => ROLE_LABELS[r]).join('、')} / Only ${roles.join(', ')} may ${whatEn}; ask one of them`,
    403,
  );
}
