import type { ReferralStatus } from '../generated/prisma/enums.js';
import { AppError } from '../errors.js';

export type ReferralAction =
  | 'sign'
  | 'start'
  | 'answer'
  | 'return'
  | 'request_extension'
  | 'approve_extension'
  | 'pause'
  | 'resume'
  | 'follow_up_satisfied'
  | 'follow_up_not_satisfied'
  | 'merge';

/** Statuses in which the unit still owes work and the clock runs. */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['dispatched', 'signed', 'in_progress'];

/** The one table every change of a referral is checked against; `same` keeps the status (clock and deadline changes). */
export const TRANSITIONS: Record<ReferralAction, { from: readonly ReferralStatus[]; to: ReferralStatus | 'same' }> = {
  sign: { from: ['dispatched'], to: 'signed' },
  start: { from: ['signed'], to: 'in_progress' },
  answer: { from: ['signed', 'in_progress'], to: 'answered' },
  return: { from: OPEN_STATUSES, to: 'returned' },
  request_extension: { from: ['signed', 'in_progress'], to: 'same' },
  approve_extension: { from: ['signed', 'in_progress'], to: 'same' },
  pause: { from: OPEN_STATUSES, to: 'same' },
  resume: { from: OPEN_STATUSES, to: 'same' },
  follow_up_satisfied: { from: ['answered'], to: 'closed' },
  follow_up_not_satisfied: { from: ['answered'], to: 'in_progress' },
  merge: { from: [...OPEN_STATUSES, 'answered'], to: 'merged' },
};

const STATUS_LABEL: Record<ReferralStatus, [zh: string, en: string]> = {
  created: ['已创建', 'created'],
  dispatched: ['已派发、待签收', 'dispatched and not yet signed for'],
  signed: ['已签收', 'signed for'],
  in_progress: ['办理中', 'in progress'],
  answered: ['已反馈', 'answered'],
  closed: ['已办结', 'closed'],
  returned: ['已退回', 'returned'],
  merged: ['已并单', 'merged into another referral'],
};

const ACTION_LABEL: Record<ReferralAction, [zh: string, en: string]> = {
  sign: ['签收', 'sign for it'],
  start: ['开始办理', 'start work on it'],
  answer: ['反馈办理结果', 'answer it'],
  return: ['退回', 'return it'],
  request_extension: ['申请延期', 'request an extension'],
  approve_extension: ['批准延期', 'approve an extension'],
  pause: ['暂停计时', 'pause its clock'],
  resume: ['恢复计时', 'resume its clock'],
  follow_up_satisfied: ['回访满意办结', 'close it after a satisfied follow-up'],
  follow_up_not_satisfied: ['回访不满意重办', 'reopen it after an unsatisfied follow-up'],
  merge: ['并单', 'merge it'],
};

/** An action that leads from `status` into a state where `action` is allowed: what to do first. */
function stepBefore(action: ReferralAction, status: ReferralStatus): ReferralAction | undefined {
  const allowed = TRANSITIONS[action].from;
  return (Object.keys(TRANSITIONS) as ReferralAction[]).find((a) => {
    const t = TRANSITIONS[a];
    return t.to !== 'same' && t.from.includes(status) && allowed.includes(t.to);
  });
}

export function invalidTransition(trackingNumber: string, status: ReferralStatus, action: ReferralAction): AppError {
  const [statusZh, statusEn] = STATUS_LABEL[status];
  const [actionZh, actionEn] = ACTION_LABEL[action];
  const first = stepBefore(action, status);
  const hintZh = first ? `请先${ACTION_LABEL[first][0]}。` : '该转办件已不能再做此操作。';
  const hintEn = first ? `${ACTION_LABEL[first][1]} first.` : 'nothing can make this step possible any more.';
  return new AppError(
    'invalid_transition',
    `转办件 ${trackingNumber} 当前状态为“${statusZh}”，不能${actionZh}；${hintZh} / Referral ${trackingNumber} is ${statusEn}, so you cannot ${actionEn}: ${hintEn}`,
    409,
    false,
    { trackingNumber, status, action, allowedFrom: TRANSITIONS[action].from, ...(first ? { doFirst: first } : {}) },
  );
}

/** Throws `invalid_transition` unless the table allows `action` from `status`; returns the status after it. */
export function nextStatus(trackingNumber: string, status: ReferralStatus, action: ReferralAction): ReferralStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) throw invalidTransition(trackingNumber, status, action);
  return t.to === 'same' ? status : t.to;
}
