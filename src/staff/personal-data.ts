import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { recordStaffAction } from './staff-action.js';

/** Seeing personal data in full is a deliberate act with a stated purpose, e.g. "回访核实身份". */
export function requireReason(reason: string | undefined): string {
  const r = reason?.trim() ?? '';
  if (r.length < 2 || r.length > 300) {
    throw new AppError('reason_required', '查看完整个人信息须填写事由（2–300字）/ Say why you need the full personal data (2–300 characters)', 400);
  }
  return r;
}

/** Who saw which personal data of what, when and why: the trail behind every full view and full export. */
export async function recordDisclosure(
  db: Db,
  e: { staff: StaffPrincipal; at: Date; action: 'personal_data.viewed' | 'personal_data.exported' | 'personal_data.printed'; entity: string; entityId?: string; caseId?: string; fields: string[]; reason: string; extra?: Record<string, string | number> },
): Promise<void> {
  await recordStaffAction(db, e.staff, e.at, {
    action: e.action,
    caseId: e.caseId,
    entity: e.entity,
    entityId: e.entityId,
    after: { fields: e.fields, role: e.staff.role, ...e.extra },
    reason: e.reason,
  });
}
