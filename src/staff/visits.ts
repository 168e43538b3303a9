import { z } from 'zod';
import type { StaffDeps } from './ports.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { requireRole } from './access.js';
import { findKeyPerson } from './key-persons.js';
import { addDays, DATE_PATTERN, localDate, startOfDate } from './local-dates.js';
import { recordStaffAction } from './staff-action.js';

/** One entry of the visit log (巡查记录台账). */
export const VisitInput = z.object({
  visitedOn: z.string().regex(DATE_PATTERN, '日期格式应为 YYYY-MM-DD'),
  findings: z.string().trim().min(2, '请写明巡访情况（至少2个字）').max(2000),
});
export type VisitInput = z.input<typeof VisitInput>;

/**
 * Records a visit and moves the person's next visit one visiting period on from it. A visit entered late (older than
 * the latest one) goes into the log without moving the due date back.
 */
export async function recordVisit(deps: Pick<StaffDeps, 'db' | 'directory'>, staff: StaffPrincipal, keyPersonId: string, input: VisitInput, now: Date) {
  const person = await findKeyPerson(deps, staff, keyPersonId);
  requireRole(staff, ['township_staff', 'supervisor'], '记录巡访', 'record visits');
  const parsed = VisitInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('visit_invalid', `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')} / Correct the visit and send it again`, 400);
  }
  const v = parsed.data;
  const today = localDate(deps.directory, now);
  if (v.visitedOn > today) throw new AppError('visit_invalid', '巡访日期不能晚于今天 / A visit cannot be dated in the future', 400);
  const visitedAt = v.visitedOn === today ? now : startOfDate(deps.directory, v.visitedOn);
  const nextDue = startOfDate(deps.directory, addDays(v.visitedOn, person.visitEveryDays));
  const latest = person.visits[0]?.visitedAt;
  const visit = await deps.db.$transaction(async (tx) => {
    const created = await tx.visit.create({ data: { keyPersonId, staffId: staff.id, visitedAt, findings: v.findings, createdAt: now } });
    if (!latest || visitedAt >= latest) await tx.keyPerson.update({ where: { id: keyPersonId }, data: { nextVisitDue: nextDue } });
    await recordStaffAction(tx, staff, now, { action: 'visit.recorded', entity: 'visit', entityId: created.id, after: { keyPersonId, visitedOn: v.visitedOn } });
    return created;
  });
  return { visit, nextVisitDue: !latest || visitedAt >= latest ? addDays(v.visitedOn, person.visitEveryDays) : localDate(deps.directory, person.nextVisitDue) };
}
