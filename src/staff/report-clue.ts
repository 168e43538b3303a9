import { z } from 'zod';
import { openCase } from '../cases/open-case.js';
import type { StaffDeps } from './ports.js';
import { CategoryCode } from '../domain/categories.js';
import { AppError } from '../errors.js';
import { createReferrals, type Actor, type ReferralDeps } from '../referrals/index.js';
import * as audit from '../audit/record.js';

/** A clue (线索) from active discovery: who saw what, where, and who may need help. */
export const ClueInput = z.object({
  townshipCode: z.string().min(1, '请选择镇街'),
  villageCode: z.string().optional(),
  address: z.string().trim().max(200).optional(),
  /** The person who may need help, when the reporter knows the name. */
  personName: z.string().trim().max(50).optional(),
  /** What the reporter saw, in their words. */
  what: z.string().trim().min(4, '请写明看到的情况（至少4个字）').max(2000),
  category: CategoryCode.optional(),
  /** Someone is in danger now: the township's visit clock runs on the urgent limits. */
  urgent: z.boolean().default(false),
  reporter: z.object({
    name: z.string().trim().min(1, '请填写报告人').max(50),
    phone: z.string().regex(/^\d{5,15}$/, '电话号码应为5–15位数字').optional(),
    /** Set when a signed-in staff member reports, so the trail names them. */
    staffId: z.uuid().optional(),
    /** Set when the clue came by WeCom message. */
    wecomUserId: z.string().max(64).optional(),
  }),
  channel: z.enum(['console', 'wecom_app']).default('console'),
});
export type ClueInput = z.input<typeof ClueInput>;

export type ClueDeps = ReferralDeps & Pick<StaffDeps, 'cipher' | 'tracking'>;

/**
 * 主动发现: records a clue as a case of type `clue` and routes it to the township for a home visit (入户调查), with
 * the township's clock and announcement from the referral lifecycle. The console calls this; so can the WeCom dialog
 * when a village assistant writes a clue in.
 */
export async function reportClue(deps: ClueDeps, input: ClueInput, now: Date): Promise<{ caseId: string; trackingNumber: string; referralTrackingNumber: string }> {
  const parsed = ClueInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('clue_invalid', `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')} / Correct the clue and send it again`, 400);
  }
  const c = parsed.data;
  const township = deps.directory.directory.townships.find((t) => t.code === c.townshipCode);
  if (!township) throw new AppError('unknown_township', `没有编码为 ${c.townshipCode} 的镇街 / No township "${c.townshipCode}" in the county directory`, 400);
  if (c.villageCode && !township.villages.some((v) => v.code === c.villageCode)) {
    throw new AppError('unknown_village', `${township.name}没有编码为 ${c.villageCode} 的村居 / No village "${c.villageCode}" in ${township.code}`, 400);
  }
  const opened = await openCase(
    { db: deps.db, cipher: deps.cipher, directory: deps.directory, tracking: deps.tracking, now },
    {
      type: 'clue',
      complete: true,
      channel: c.channel,
      applicant: { name: c.personName, townshipCode: c.townshipCode, villageCode: c.villageCode, address: c.address, reason: c.what, relation: '村干部' },
      emergency: { what: c.what, address: c.address, dangerNow: c.urgent, reporter: { relation: '村干部', name: c.reporter.name, phone: c.reporter.phone } },
      urgent: c.urgent,
      urgentReason: c.urgent ? '主动发现：报告人称有人处于危险中' : undefined,
      categoriesHint: c.category ? [c.category] : [],
    },
  );
  const staff = c.reporter.staffId ? await deps.db.staffUser.findUnique({ where: { id: c.reporter.staffId }, select: { id: true, role: true } }) : null;
  const actor: Actor = staff ? { type: 'staff', id: staff.id, role: staff.role } : { type: 'system' };
  await audit.record(deps.db, {
    at: now,
    actor,
    action: 'clue.reported',
    caseId: opened.id,
    entity: 'case',
    entityId: opened.id,
    after: { reporter: c.reporter.name, channel: c.channel, township: c.townshipCode, ...(c.reporter.wecomUserId ? { wecomUserId: c.reporter.wecomUserId } : {}) },
  });
  const { referrals } = await createReferrals(deps, {
    caseId: opened.id,
    caseTrackingNumber: opened.trackingNumber,
    caseType: 'clue',
    urgent: c.urgent,
    // A clue's category is often unknown until the visit; temporary assistance is the catch-all, as in routing.
    planned: [{ category: c.category ?? 'temporary', role: 'lead', step: 'investigate', unit: { kind: 'township', code: c.townshipCode } }],
    now,
    actor,
  });
  return { caseId: opened.id, trackingNumber: opened.trackingNumber, referralTrackingNumber: referrals[0]!.trackingNumber };
}
