import { caseScope } from './scopes.js';
import type { StaffDeps } from './ports.js';
import { AppError, notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { NEVER_PUBLISHED } from '../open311/requests.js';
import { recordStaffAction } from './staff-action.js';
import { requireRole } from './access.js';

/**
 * A supervisor marks a case public (or takes it back): only then does the public Open311 list show it, with the
 * Open311 fields and nothing personal. Minors' cases are never published. Audited.
 */
export async function setCasePublished(
  deps: Pick<StaffDeps, 'db'>,
  staff: StaffPrincipal,
  input: { trackingNumber: string; published: boolean },
  now: Date,
): Promise<{ trackingNumber: string; published: boolean }> {
  requireRole(staff, ['supervisor'], '公开案件', 'publish a case');
  const c = await deps.db.case.findFirst({ where: { AND: [{ trackingNumber: input.trackingNumber }, caseScope(staff)] }, select: { id: true, published: true, categories: true } });
  if (!c) throw notFound(`Case ${input.trackingNumber}`);
  if (input.published && c.categories.some((code) => NEVER_PUBLISHED.includes(code as never))) {
    throw new AppError('never_published', '涉及未成年人的案件一律不公开 / Cases about minors (child, youth) are never published', 409);
  }
  if (c.published !== input.published) {
    await deps.db.case.update({ where: { id: c.id }, data: { published: input.published } });
    await recordStaffAction(deps.db, staff, now, {
      action: input.published ? 'case.published' : 'case.unpublished',
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      before: { published: c.published },
      after: { published: input.published },
    });
  }
  return { trackingNumber: input.trackingNumber, published: input.published };
}
