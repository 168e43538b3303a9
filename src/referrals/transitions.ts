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

/** The steps that move the work forward; a hint never suggests reopening, returning or merging to get somewhere. */
const FORWARD: readonly ReferralAction[] = ['sign', 'start', 'answer'];

/** Steps the holding unit takes (the rest are the county's, the resident's or the clock's). */
const BY_UNIT: ReadonlySet<ReferralAction> = new Set<ReferralAction>(['sign', 'start', 'answer', 'return', 'request_extension']);

/**
 * The shortest run of forward steps from `status` into a state where `action` is allowed: what to do first, in order
 * (an unsigned referral must be signed for and then answered before a follow-up). Undefined when none leads there.
 */
function stepsBefore(action: ReferralAction, status: ReferralStatus): ReferralAction[] | undefined {
  const allowed = TRANSITIONS[action].from;
  const seen = new Set<ReferralStatus>([status]);
  const queue: [ReferralStatus, ReferralAction[]][] = [[status, []]];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [at, path] = next;
    for (const a of FORWARD) {
      const t = TRANSITIONS[a];
      if (t.to === 'same' || !t.from.includes(at) || seen.has(t.to)) continue;
      if (allowed.includes(t.to)) return [...path, a];
      seen.add(t.to);
      queue.push([t.to, [...path, a]]);
    }
  }
  return undefined;
}

export function invalidTransition(trackingNumber: string, status: ReferralStatus, action: ReferralAction): AppError {
  const [statusZh, statusEn] = STATUS_LABEL[status];
  const [actionZh, actionEn] = ACTION_LABEL[action];
  const steps = stepsBefore(action, status);
  // A county step (回访) waiting on the unit's work says whose work it is: the supervisor cannot sign for the unit.
  const unitsWork = !!steps && !BY_UNIT.has(action) && steps.every((a) => BY_UNIT.has(a));
  const zh = steps?.map((a) => ACTION_LABEL[a][0]).join('，再');
  const en = steps?.map((a) => ACTION_LABEL[a][1]).join(', then ');
  const hintZh = !steps ? '该转办件已不能再做此操作。' : unitsWork ? `请先由承办单位${zh}。` : `请先${zh}。`;
  const hintEn = !steps ? 'nothing can make this step possible any more.' : unitsWork ? `the holding unit must ${en} first.` : `${en} first.`;
  return new AppError(
    'invalid_transition',
    `转办件 ${trackingNumber} 当前状态为“${statusZh}”，不能${actionZh}；${hintZh} / Referral ${trackingNumber} is ${statusEn}, so you cannot ${actionEn}: ${hintEn}`,
    409,
    false,
    { trackingNumber, status, action, allowedFrom: TRANSITIONS[action].from, ...(steps ? { doFirst: steps[0], steps } : {}) },
  );
}

/** Throws `invalid_transition` unless the table allows `action` from `status`; returns the status after it. */
export function nextStatus(trackingNumber: string, status: ReferralStatus, action: ReferralAction): ReferralStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) throw invalidTransition(trackingNumber, status, action);
  return t.to === 'same' ? status : t.to;
}
