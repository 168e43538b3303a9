import type { Db } from '../db/client.js';
import { maskPersonalNumbers, maskPhone } from '../privacy/personal-numbers.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from '../http/auth.js';

/** A resident's channel address as staff see it by default: a phone masked, a WeChat/WeCom id shortened. */
export function maskAddress(address: string): string {
  if (/^\+?\d{7,15}$/.test(address)) return maskPhone(address);
  // A number written some other way ("0539-8123456", "+86 138 0013 8000") is masked as in any text.
  if (maskPersonalNumbers(address) !== address) return maskPersonalNumbers(address);
  return address.length <= 6 ? '***' : `${address.slice(0, 3)}***${address.slice(-2)}`;
}

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
  await db.auditEvent.create({
    data: {
      at: e.at,
      actorType: 'staff',
      actorId: e.staff.id,
      action: e.action,
      caseId: e.caseId ?? null,
      entity: e.entity,
      entityId: e.entityId ?? null,
      after: { fields: e.fields, role: e.staff.role, ...e.extra },
      reason: e.reason,
    },
  });
}
