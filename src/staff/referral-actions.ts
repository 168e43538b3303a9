import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import type { StaffPrincipal } from './principal.js';
import { answerReferral, approveExtension, requestExtension, returnReferral, signReferral, startReferral, type Actor, type ReferralDeps } from '../referrals/index.js';
import { OPEN_STATUSES } from '../referrals/transitions.js';
import { requireRole } from './access.js';
import { DATE_PATTERN, localDate, onDateAtTimeOf, startOfDate } from './local-dates.js';
import { referralScope, referralWorkScope } from './scopes.js';
import { recordStaffAction } from './staff-action.js';

/**
 * Staff actions on a referral: each checks scope (404 outside it) and who may act (403), then calls the referral
 * lifecycle in src/referrals, which validates the transition, audits it and moves the timers.
 */

const actor = (staff: StaffPrincipal): Actor => ({ type: 'staff', id: staff.id, role: staff.role });

function invalid(issues: z.core.$ZodIssue[]): AppError {
  return new AppError('invalid_input', `${issues.map((i) => `${i.path.join('.') || '表单'}: ${i.message}`).join('；')} / Correct the form and send it again`, 400);
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw invalid(r.error.issues);
  return r.data;
}

async function visible(deps: Pick<ReferralDeps, 'db'>, staff: StaffPrincipal, trackingNumber: string): Promise<Referral> {
  const r = await deps.db.referral.findFirst({ where: { AND: [{ trackingNumber }, referralScope(staff)] } });
  if (!r) throw notFound(`Referral ${trackingNumber}`);
  return r;
}

/** A referral this staff member's unit holds (or, for supervisors, the county window's). */
async function workable(deps: Pick<ReferralDeps, 'db'>, staff: StaffPrincipal, trackingNumber: string): Promise<Referral> {
  const r = await visible(deps, staff, trackingNumber);
  const mine = await deps.db.referral.count({ where: { AND: [{ id: r.id }, referralWorkScope(staff)] } });
  if (mine === 0) {
    throw new AppError('forbidden', `转办件 ${trackingNumber} 由承办单位办理，您只能查看 / Only the unit that holds referral ${trackingNumber} can work on it; you may read it`, 403);
  }
  return r;
}

/** 签收 */
export async function signFor(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, now: Date): Promise<Referral> {
  await workable(deps, staff, trackingNumber);
  return signReferral(deps, { trackingNumber, actor: actor(staff), now });
}

export const HandlingNote = z.object({ note: z.string().trim().min(2, '请写明办理情况（至少2个字）').max(2000, '办理情况最多2000字') });

/**
 * 记录办理情况: a line in the referral's record of what was done so far. The first note on a signed referral starts
 * the work (开始办理) through the lifecycle; the note itself is an audit entry, the trail every step leaves.
 */
export async function recordHandling(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: z.input<typeof HandlingNote>, now: Date): Promise<Referral> {
  const { note } = parse(HandlingNote, input);
  let r = await workable(deps, staff, trackingNumber);
  if (r.status === 'signed') r = await startReferral(deps, { trackingNumber, actor: actor(staff), now });
  if (r.status !== 'in_progress') {
    throw new AppError('invalid_transition', `转办件 ${trackingNumber} 当前不能记录办理情况；请先签收 / Sign for referral ${trackingNumber} before recording work on it`, 409);
  }
  await recordStaffAction(deps.db, staff, now, {
    action: 'referral.handling_noted',
    caseId: r.caseId,
    referralId: r.id,
    entity: 'referral',
    entityId: r.id,
    after: { note },
  });
  return r;
}

const LocalDate = z.string().regex(DATE_PATTERN, '日期格式应为 YYYY-MM-DD');

/** The feedback form (转办件办理反馈单): 办理结果, the date work finished, 经办人, a note. */
export const FeedbackForm = z.object({
  result: z.string().trim().min(2, '请填写办理结果').max(2000),
  date: LocalDate.optional(),
  handler: z.string().trim().min(1, '请填写经办人').max(50),
  note: z.string().trim().max(2000).optional(),
});

/** 反馈: answers the referral; the lifecycle tells the resident and schedules the follow-up. */
export async function answerWithFeedback(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: z.input<typeof FeedbackForm>, now: Date): Promise<Referral> {
  const f = parse(FeedbackForm, input);
  const r = await workable(deps, staff, trackingNumber);
  const today = localDate(deps.directory, now);
  if (f.date && f.date > today) throw invalid([{ code: 'custom', path: ['date'], message: '办结日期不能晚于今天', input: f.date }]);
  if (f.date && f.date < localDate(deps.directory, r.dispatchedAt ?? r.createdAt)) {
    throw invalid([{ code: 'custom', path: ['date'], message: '办结日期不能早于派发日期', input: f.date }]);
  }
  const date = !f.date || f.date === today ? now : startOfDate(deps.directory, f.date);
  return answerReferral(deps, { trackingNumber, actor: actor(staff), now, feedback: { result: f.result, date, handler: f.handler, note: f.note } });
}

/**
 * What answering did for the resident, so the console says only what happened: `told` when the result was put on
 * its way to them (SMS or WeChat, with a satisfaction question due later), `no_contact` when their step faces the
 * resident but there is no way to reach them, `not_resident_facing` when the step (an investigation, a notice to an
 * assisting unit) is answered to the county, not to the resident.
 */
export async function answerReachedResident(deps: Pick<ReferralDeps, 'db'>, r: Pick<Referral, 'id' | 'reopenCount' | 'step'>): Promise<'told' | 'no_contact' | 'not_resident_facing'> {
  if (r.step !== 'handle' && r.step !== 'aid_first') return 'not_resident_facing';
  const staged = await deps.db.message.findFirst({ where: { idempotencyKey: `referral.${r.id}.answer.${r.reopenCount}` }, select: { id: true } });
  return staged ? 'told' : 'no_contact';
}

export const ReturnForm = z.object({ reason: z.string().trim().min(4, '请写明退回理由（至少4个字）').max(1000) });

/** 退回: not this unit's work. It goes to the county window, which dispatches it again. */
export async function returnAsNotOurs(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: z.input<typeof ReturnForm>, now: Date) {
  const { reason } = parse(ReturnForm, input);
  const r = await workable(deps, staff, trackingNumber);
  if (r.unitKind === 'county_window') {
    throw new AppError('use_reassign', '县级窗口的转办件请直接改派给承办单位 / The county window does not return its referrals: reassign it to a unit', 400);
  }
  return returnReferral(deps, { trackingNumber, reason, actor: actor(staff), now });
}

export const ExtensionForm = z.object({ dueDate: LocalDate, reason: z.string().trim().min(4, '请写明延期理由（至少4个字）').max(1000) });

/** 申请延期: asks the county for a later deadline; a supervisor decides. */
export async function askForExtension(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: z.input<typeof ExtensionForm>, now: Date): Promise<Referral> {
  const f = parse(ExtensionForm, input);
  const r = await workable(deps, staff, trackingNumber);
  return requestExtension(deps, { trackingNumber, reason: f.reason, dueAt: onDateAtTimeOf(deps.directory, f.dueDate, r.dueAt), actor: actor(staff), now });
}

export const ApprovalForm = z.object({ dueDate: LocalDate.optional() });

/** 批准延期: a supervisor grants the requested date, or another one. */
export async function grantExtension(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: z.input<typeof ApprovalForm>, now: Date): Promise<Referral> {
  const f = parse(ApprovalForm, input);
  const r = await visible(deps, staff, trackingNumber);
  requireRole(staff, ['supervisor'], '批准延期', 'approve extensions');
  const dueAt = f.dueDate ? onDateAtTimeOf(deps.directory, f.dueDate, r.extensionDueAt ?? r.dueAt) : undefined;
  return approveExtension(deps, { trackingNumber, dueAt, actor: actor(staff), now });
}

export const ReassignForm = z.object({
  unit: z.string().regex(/^(township|agency):[a-z0-9_-]{1,64}$/, '请选择承办单位'),
  reason: z.string().trim().min(2, '请写明改派理由').max(1000),
});

/**
 * 仲裁改派: a supervisor settles a return by sending the county window's referral on to the unit that should hold it;
 * the lifecycle gives the work a new tracking number, clock and announcement.
 */
export async function reassignReferral(deps: ReferralDeps, staff: StaffPrincipal, trackingNumber: string, input: z.input<typeof ReassignForm>, now: Date) {
  const f = parse(ReassignForm, input);
  const r = await visible(deps, staff, trackingNumber);
  requireRole(staff, ['supervisor'], '仲裁改派', 'reassign referrals');
  if (r.unitKind !== 'county_window' || !OPEN_STATUSES.includes(r.status)) {
    throw new AppError('not_at_window', `转办件 ${trackingNumber} 不在县级窗口待派 / Referral ${trackingNumber} is not waiting at the county window: only those can be reassigned`, 409);
  }
  const [kind, code] = f.unit.split(':') as ['township' | 'agency', string];
  return returnReferral(deps, { trackingNumber, reason: f.reason, reroute: { kind, code }, actor: actor(staff), now });
}
