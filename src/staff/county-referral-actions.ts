import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import { recordFollowUp, urgeReferral, type ReferralDeps } from '../referrals/index.js';
import { requireRole } from './access.js';
import type { StaffPrincipal } from './principal.js';
import { referralScope } from './scopes.js';

/** What the county does to a unit's referral from outside the unit: press it (催办) and ask the resident (回访). */

async function mustSee(deps: Pick<ReferralDeps, 'db'>, staff: StaffPrincipal, trackingNumber: string): Promise<void> {
  const seen = await deps.db.referral.count({ where: { AND: [{ trackingNumber }, referralScope(staff)] } });
  if (seen === 0) throw notFound(`Referral ${trackingNumber}`);
}

const actor = (staff: StaffPrincipal) => ({ type: 'staff' as const, id: staff.id, role: staff.role });

/** 催办: a supervisor presses the unit now, without waiting for the ladder's urge at the deadline. */
export async function urgeUnit(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, now: Date): Promise<{ messaged: number }> {
  await mustSee(deps, staff, trackingNumber);
  requireRole(staff, ['supervisor'], '催办', 'urge a referral');
  return urgeReferral(deps, { trackingNumber, actor: actor(staff), now });
}

export const FollowUpForm = z.object({
  satisfied: z.enum(['yes', 'no'], { message: '请选择居民是否满意' }),
  note: z.string().trim().min(2, '请写明回访情况（至少2个字）').max(1000, '回访情况最多1000字'),
});

/**
 * 回访 by telephone or visit, recorded by the county window: satisfied closes the referral, not satisfied reopens it
 * with the unit. The resident who cannot be texted is followed up this way too.
 */
export async function recordFollowUpCall(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: Record<string, string | undefined>, now: Date) {
  const f = FollowUpForm.safeParse(input);
  if (!f.success) throw new AppError('invalid_input', `${f.error.issues.map((i) => i.message).join('；')} / Correct the form and send it again`, 400);
  await mustSee(deps, staff, trackingNumber);
  requireRole(staff, ['supervisor', 'duty_officer'], '记录回访', 'record a follow-up');
  return recordFollowUp(deps, { trackingNumber, satisfied: f.data.satisfied === 'yes', note: f.data.note, actor: actor(staff), now });
}
