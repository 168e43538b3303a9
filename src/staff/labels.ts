import type { CaseStatus, CaseType, ChannelKind, ReferralRole, ReferralStatus, ReferralStep, UnitKind } from '../generated/prisma/enums.js';

/** The words township staff know for each code, shared by the console, the printed forms and the ledgers. */

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  created: '已创建',
  dispatched: '待签收',
  signed: '已签收',
  in_progress: '办理中',
  answered: '已反馈',
  closed: '已办结',
  returned: '已退回',
  merged: '已并单',
};

export const STEP_LABELS: Record<ReferralStep, string> = {
  investigate: '入户调查',
  handle: '审核办理',
  notify: '知悉协助',
  aid_first: '先行救助',
  paperwork: '补办手续',
};

export const ROLE_IN_CASE_LABELS: Record<ReferralRole, string> = { lead: '主办', assist: '协办' };

export const UNIT_KIND_LABELS: Record<UnitKind, string> = { township: '镇街', agency: '部门', county_window: '县级窗口' };

export const CASE_TYPE_LABELS: Record<CaseType, string> = { emergency: '急难报告', application: '救助申请', enquiry: '政策咨询', clue: '主动发现线索' };

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  incomplete: '待补充',
  accepted: '已受理',
  routed: '已转办',
  in_progress: '办理中',
  answered: '已反馈',
  closed: '已办结',
  merged: '已并案',
  rejected: '不予受理',
};

export const CHANNEL_LABELS: Record<ChannelKind, string> = { sms: '短信', voice: '电话', wecom_app: '企业微信', wecom_kf: '微信客服', console: '工作台' };

export const SATISFACTION_LABELS: Record<string, string> = { satisfied: '满意', not_satisfied: '不满意' };
