import type { StaffDeps } from './ports.js';
import { maskedApplicant, maskedCase } from '../cases/masked-case.js';
import { notFound } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import type { StaffPrincipal } from './principal.js';
import { TRANSITIONS, type ReferralAction } from '../referrals/transitions.js';
import { unitOfReferral } from '../referrals/units.js';
import { canUrge } from '../referrals/urge.js';
import { CASE_STATUS_LABELS, CASE_TYPE_LABELS, CHANNEL_LABELS, REFERRAL_STATUS_LABELS, SATISFACTION_LABELS } from './labels.js';
import { referralScope, referralWorkScope } from './scopes.js';
import { worklistInclude, worklistItem } from './worklist.js';

type ViewDeps = Pick<StaffDeps, 'db' | 'directory'>;

export const HISTORY_LABELS: Record<string, string> = {
  'referral.dispatched': '派发',
  'referral.sign': '签收',
  'referral.start': '开始办理',
  'referral.handling_noted': '办理记录',
  'referral.answer': '反馈办理结果',
  'referral.return': '退回',
  'referral.request_extension': '申请延期',
  'referral.approve_extension': '批准延期',
  'referral.pause': '暂停计时',
  'referral.resume': '恢复计时',
  'referral.follow_up_satisfied': '回访满意，办结',
  'referral.follow_up_not_satisfied': '回访不满意，重办',
  'referral.merge': '并单',
  'referral.merged_from': '并入重复件',
  'referral.timer.reminder': '到期提醒',
  'referral.timer.urge': '催办',
  'referral.timer.supervise': '督办',
  'referral.timer.duty': '通知值班员',
  'referral.timer.follow_up': '发送回访',
  'referral.urged': '县级催办',
  'referral.deadlines_recomputed': '按新的节假日安排重算时限',
};

/** What a staff member can do with a referral now, by their role and the lifecycle's own transition table. */
export type ReferralActions = {
  sign: boolean;
  note: boolean;
  answer: boolean;
  return: boolean;
  requestExtension: boolean;
  approveExtension: boolean;
  reassign: boolean;
  /** 催办 (supervisors), while the unit owes work. */
  urge: boolean;
  /** 记录回访 (the county window), once the unit has answered. */
  followUp: boolean;
};

function allowed(action: ReferralAction, r: Referral): boolean {
  return TRANSITIONS[action].from.includes(r.status);
}

async function actionsFor(deps: ViewDeps, staff: StaffPrincipal, r: Referral): Promise<ReferralActions> {
  const works = (await deps.db.referral.count({ where: { AND: [{ id: r.id }, referralWorkScope(staff)] } })) > 0;
  const pending = !!r.extensionRequestedAt && !r.extensionApprovedAt;
  return {
    sign: works && allowed('sign', r),
    // A handling note can be added while the work is owed: from signing until the answer.
    note: works && allowed('answer', r),
    answer: works && allowed('answer', r),
    return: works && allowed('return', r) && r.unitKind !== 'county_window',
    requestExtension: works && allowed('request_extension', r) && !pending,
    approveExtension: staff.role === 'supervisor' && pending && allowed('approve_extension', r),
    reassign: staff.role === 'supervisor' && r.unitKind === 'county_window' && allowed('return', r),
    urge: staff.role === 'supervisor' && canUrge(r),
    followUp: (staff.role === 'supervisor' || staff.role === 'duty_officer') && allowed('follow_up_satisfied', r),
  };
}

/**
 * 性别 from an 18-digit ID number: its 17th digit is odd for men and even for women. The masked form keeps the last
 * four characters, that digit among them, so a case whose dialog did not record the sex still fills the form.
 */
export function sexOfIdNumber(id: string | null | undefined): 'male' | 'female' | null {
  const digit = id && id.length === 18 ? id[16] : undefined;
  if (!digit || !/\d/.test(digit)) return null;
  return Number(digit) % 2 === 1 ? 'male' : 'female';
}

/** A referral in the staff member's scope (404 otherwise), with its case masked, its history and what they may do. */
export async function readReferral(deps: ViewDeps, staff: StaffPrincipal, trackingNumber: string, now: Date) {
  const r = await deps.db.referral.findFirst({ where: { AND: [{ trackingNumber }, referralScope(staff)] }, include: worklistInclude });
  if (!r) throw notFound(`Referral ${trackingNumber}`);
  const [c, siblings, events] = await Promise.all([
    deps.db.case.findUniqueOrThrow({ where: { id: r.caseId }, include: { township: true, village: true } }),
    deps.db.referral.findMany({ where: { caseId: r.caseId }, orderBy: { createdAt: 'asc' } }),
    deps.db.auditEvent.findMany({ where: { referralId: r.id }, orderBy: { id: 'asc' } }),
  ]);
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))];
  const staffNames = new Map((await deps.db.staffUser.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  const masked = maskedCase(c);
  return {
    ...worklistItem(deps, r, now),
    dispatchedAt: r.dispatchedAt?.toISOString() ?? null,
    signedAt: r.signedAt?.toISOString() ?? null,
    startedAt: r.startedAt?.toISOString() ?? null,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    feedback: r.feedbackResult
      ? { result: r.feedbackResult, date: r.feedbackDate?.toISOString() ?? null, handler: r.feedbackHandler, note: r.feedbackNote }
      : null,
    satisfaction: r.satisfaction ? { value: r.satisfaction, label: SATISFACTION_LABELS[r.satisfaction] ?? r.satisfaction, note: r.satisfactionNote } : null,
    returnReason: r.returnReason,
    extension: r.extensionRequestedAt
      ? {
          requestedAt: r.extensionRequestedAt.toISOString(),
          reason: r.extensionReason,
          dueAt: r.extensionDueAt?.toISOString() ?? null,
          approvedAt: r.extensionApprovedAt?.toISOString() ?? null,
        }
      : null,
    paused: r.pauses[0]?.reason ?? null,
    case: {
      trackingNumber: c.trackingNumber,
      type: c.type,
      typeLabel: CASE_TYPE_LABELS[c.type],
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status],
      channel: c.channel,
      channelLabel: CHANNEL_LABELS[c.channel],
      urgent: c.urgent,
      urgentReason: masked.urgentReason,
      applicantName: c.applicantName,
      applicantSex: c.applicantSex ?? sexOfIdNumber(c.idNumberMasked),
      ...maskedApplicant(c),
      consentGiven: c.consentGiven,
      emergency: masked.emergency,
      createdAt: c.createdAt.toISOString(),
    },
    related: siblings
      .filter((s) => s.id !== r.id)
      .map((s) => ({ trackingNumber: s.trackingNumber, unit: unitOfReferral(deps.directory, s).name, status: s.status, statusLabel: REFERRAL_STATUS_LABELS[s.status], returnReason: s.returnReason, category: s.category })),
    history: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      // An entry without a label of its own still reads in Chinese.
      label: HISTORY_LABELS[e.action] ?? '其他记录',
      actor: e.actorType === 'staff' ? (staffNames.get(e.actorId ?? '') ?? '工作人员') : e.actorType === 'resident' ? '居民' : '系统',
      reason: e.reason,
      note: typeof (e.after as { note?: unknown } | null)?.note === 'string' ? ((e.after as { note: string }).note) : null,
    })),
    actions: await actionsFor(deps, staff, r),
  };
}
export type ReferralView = Awaited<ReturnType<typeof readReferral>>;
