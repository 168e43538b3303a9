import type { Referral } from '../generated/prisma/client.js';
import type { ReferralStep } from '../generated/prisma/enums.js';
import { formatLocal } from './clocks.js';
import type { ReferralDeps } from './ports.js';
import { categoryName, townshipName, type Unit } from './units.js';
import { spokenTrackingNumber } from '../domain/tracking-number.js';

/**
 * Texts sent to staff and residents. They name a referral by its tracking number and link to the console; personal
 * data (name, ID number, phone) stays in the console, where access is recorded.
 */

type TextDeps = Pick<ReferralDeps, 'directory' | 'config'>;
type ReferralFacts = Pick<Referral, 'trackingNumber' | 'category' | 'role' | 'step' | 'urgent' | 'signDueAt' | 'dueAt'>;

const STEP_LABEL: Record<ReferralStep, string> = {
  investigate: '入户调查核实',
  handle: '审核办理',
  notify: '知悉（转办告知）',
  aid_first: '先行救助',
  paperwork: '补办手续',
};

/** The referral's console page, only where staff can open it (config.http.staffLinks): a dead link helps no one. */
export const consoleLink = (deps: Pick<ReferralDeps, 'config'>, trackingNumber: string): string | undefined =>
  deps.config.http.staffLinks ? `${deps.config.http.publicBaseUrl}/console/referrals/${encodeURIComponent(trackingNumber)}` : undefined;

/** The end of a notice: the link, or where in the console to find the referral. */
const whereToOpen = (deps: TextDeps, trackingNumber: string) => consoleLink(deps, trackingNumber) ?? '请登录工作台，在“转办件”中按编号查找。';

const label = (deps: TextDeps, r: ReferralFacts) => `${r.trackingNumber}（${categoryName(deps.directory, r.category)}）`;

/** A follow-on referral (补办手续) is born signed by its unit, so it asks for the work, not for a signature. */
export function announcementText(deps: TextDeps, r: ReferralFacts & Pick<Referral, 'signedAt'>, caseTownshipId: string | null): string {
  const verb = r.signedAt ? '办理' : '签收办理';
  const link = consoleLink(deps, r.trackingNumber);
  return [
    `${r.urgent ? '【紧急转办件】' : '【转办件】'}承办编号：${r.trackingNumber}`,
    `类别：${categoryName(deps.directory, r.category)}（${r.role === 'lead' ? '主办' : '协办'}，${STEP_LABEL[r.step]}）`,
    `镇街：${townshipName(deps.directory, caseTownshipId) ?? '未确定，请窗口人工派发'}`,
    r.signedAt
      ? `已由本单位签收；办理时限：${formatLocal(deps, r.dueAt)}`
      : `签收时限：${formatLocal(deps, r.signDueAt)}；办理时限：${formatLocal(deps, r.dueAt)}`,
    link ? `请登录${verb}：${link}` : `请登录工作台${verb}（在“转办件”中按承办编号查找）`,
  ].join('\n');
}

export function reminderText(deps: TextDeps, r: ReferralFacts): string {
  return `【到期提醒】转办件 ${label(deps, r)} 将于 ${formatLocal(deps, r.dueAt)} 到期，请及时办理并反馈。${whereToOpen(deps, r.trackingNumber)}`;
}

export function urgeText(deps: TextDeps, r: ReferralFacts, unit: Unit): string {
  return `【催办】${unit.name}承办的转办件 ${label(deps, r)} 已到办理时限 ${formatLocal(deps, r.dueAt)}，请立即办理并反馈。${whereToOpen(deps, r.trackingNumber)}`;
}

/** 催办 by a supervisor, before or after the deadline: what is owed, by when, and whether it is late. */
export function manualUrgeText(deps: TextDeps, r: ReferralFacts & Pick<Referral, 'signedAt'>, unit: Unit, now: Date): string {
  const due = `${r.dueAt < now ? '已超过' : ''}办理时限 ${formatLocal(deps, r.dueAt)}`;
  return `【催办】县级督办催办${unit.name}承办的转办件 ${label(deps, r)}（${r.signedAt ? '' : '尚未签收，'}${due}），请立即办理并反馈。${whereToOpen(deps, r.trackingNumber)}`;
}

export function superviseText(deps: TextDeps, r: ReferralFacts, unit: Unit): string {
  return `【督办】${unit.name}承办的转办件 ${label(deps, r)} 已超过办理时限 ${formatLocal(deps, r.dueAt)} 仍未反馈，请督促办理。${whereToOpen(deps, r.trackingNumber)}`;
}

export function dutyText(deps: TextDeps, r: ReferralFacts, unit: Unit): string {
  return `【紧急·值班】紧急转办件 ${label(deps, r)} 派给${unit.name}，超过签收时限 ${formatLocal(deps, r.signDueAt)} 仍未签收，请立即电话联系承办单位并跟进。${whereToOpen(deps, r.trackingNumber)}`;
}

export function reopenText(deps: TextDeps, r: ReferralFacts, unit: Unit, reopenCount: number): string {
  return `【重办】${unit.name}承办的转办件 ${label(deps, r)} 回访不满意，已重新办理（第 ${reopenCount} 次），新的办理时限 ${formatLocal(deps, r.dueAt)}。${whereToOpen(deps, r.trackingNumber)}`;
}

const hotline = (deps: TextDeps) => deps.directory.directory.county.window.hotline;

export function residentAnswerText(deps: TextDeps, r: Pick<Referral, 'trackingNumber'>, result: string): string {
  return `【${hotline(deps)}社会救助】您的求助（编号 ${r.trackingNumber}）已有办理结果：${result.trim()}。如有疑问请拨打 ${hotline(deps)}。`;
}

export function followUpQuestionText(deps: TextDeps, r: Pick<Referral, 'trackingNumber'>): string {
  return `【${hotline(deps)}社会救助】回访：您的求助（编号 ${r.trackingNumber}）已办理完毕，您满意吗？请回复“满意”或“不满意”，也可以直接说明情况。`;
}

/** Spoken to a duty officer by the alert call: short, and without the link a call cannot show. */
export function dutyCallText(deps: TextDeps, r: ReferralFacts, unit: Unit): string {
  return `紧急转办件，编号 ${spokenTrackingNumber(r.trackingNumber)}，${categoryName(deps.directory, r.category)}，派给${unit.name}，超时未签收。请立即登录系统处理。`;
}

export function extensionRequestedText(deps: TextDeps, r: Pick<Referral, 'trackingNumber'>, unit: Unit, dueAt: Date): string {
  return `【延期申请】${unit.name}申请将转办件 ${r.trackingNumber} 的办理时限延至 ${formatLocal(deps, dueAt)}，请审批。${whereToOpen(deps, r.trackingNumber)}`;
}

export function extensionApprovedText(deps: TextDeps, r: Pick<Referral, 'trackingNumber'>, dueAt: Date): string {
  return `【延期已批准】转办件 ${r.trackingNumber} 的办理时限延至 ${formatLocal(deps, dueAt)}。${whereToOpen(deps, r.trackingNumber)}`;
}
