import type { StaffDeps } from './ports.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { DutyTaskKind } from '../generated/prisma/enums.js';
import { AppError, notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { DUTY_ROLES, requireRole } from './access.js';
import { takeOverConversation, type DialogStateDeps } from './conversation-hold.js';
import { maskAddress, maskPersonalNumbers } from '../privacy/personal-numbers.js';
import { dutyTaskScope } from './scopes.js';
import { claimDutyTask, markDutyTaskDone } from '../duty/tasks.js';
import * as audit from '../audit/record.js';

export const DUTY_KIND_LABELS: Record<DutyTaskKind, string> = {
  urgent: '紧急',
  asked_for_person: '要求转人工',
  stuck: '对话受阻',
  callback: '需回电',
  voicemail: '语音留言',
  escalation: '超时升级',
};

/** A queue longer than this is a crisis that paging would not help with; the newest urgent ones come first anyway. */
const QUEUE_LIMIT = 200;

const include = {
  case: { select: { trackingNumber: true } },
  conversation: { select: { id: true, channel: true, status: true, heldBy: { select: { id: true, name: true } } } },
  takenBy: { select: { id: true, name: true } },
} as const;

function toItem(t: Awaited<ReturnType<typeof findTasks>>[number], now: Date) {
  return {
    id: t.id,
    kind: t.kind,
    kindLabel: DUTY_KIND_LABELS[t.kind],
    status: t.status,
    urgent: t.urgent,
    // Reasons quote what the resident said ("来电人称现在有人有危险：…"): numbers in it masked like the rest.
    reason: maskPersonalNumbers(t.reason),
    contact: t.contact ? maskAddress(t.contact) : null,
    hasRecording: !!t.recordingUrl,
    caseTrackingNumber: t.case?.trackingNumber ?? null,
    conversation: t.conversation ? { id: t.conversation.id, channel: t.conversation.channel, status: t.conversation.status, heldBy: t.conversation.heldBy } : null,
    takenBy: t.takenBy,
    createdAt: t.createdAt.toISOString(),
    waitingMinutes: Math.max(0, Math.floor((now.getTime() - t.createdAt.getTime()) / 60_000)),
  };
}

function findTasks(db: StaffDeps['db'], where: Prisma.DutyTaskWhereInput) {
  return db.dutyTask.findMany({ where, include, orderBy: [{ urgent: 'desc' }, { createdAt: 'desc' }], take: QUEUE_LIMIT });
}

export type DutyQueue = { open: ReturnType<typeof toItem>[]; mine: ReturnType<typeof toItem>[]; at: string };

/** The live queue: open flags, urgent ones first and newest first within each; and what this officer has taken. */
export async function listDutyQueue(deps: Pick<StaffDeps, 'db'>, staff: StaffPrincipal, now: Date): Promise<DutyQueue> {
  requireRole(staff, DUTY_ROLES, '值班队列', 'see the duty queue');
  const [open, mine] = await Promise.all([
    findTasks(deps.db, { AND: [{ status: 'open' }, dutyTaskScope(staff)] }),
    findTasks(deps.db, { AND: [{ status: 'taken', takenById: staff.id }, dutyTaskScope(staff)] }),
  ]);
  return { open: open.map((t) => toItem(t, now)), mine: mine.map((t) => toItem(t, now)), at: now.toISOString() };
}

async function findTask(deps: Pick<StaffDeps, 'db'>, staff: StaffPrincipal, id: string) {
  const t = await deps.db.dutyTask.findFirst({ where: { AND: [{ id }, dutyTaskScope(staff)] } });
  if (!t) throw notFound(`Duty task ${id}`);
  return t;
}

/**
 * Takes a flagged task. A task with a live conversation takes the conversation over too (one officer at a time);
 * callbacks and voicemails are simply claimed, so two officers do not call the same resident.
 */
export async function takeDutyTask(deps: DialogStateDeps, staff: StaffPrincipal, id: string, now: Date) {
  const t = await findTask(deps, staff, id);
  if (t.conversationId) {
    const c = await deps.db.conversation.findUnique({ where: { id: t.conversationId }, select: { status: true } });
    if (c && c.status !== 'closed') await takeOverConversation(deps, staff, t.conversationId, now);
  }
  const count = await claimDutyTask(deps.db, id, staff.id, now);
  const after = await deps.db.dutyTask.findUniqueOrThrow({ where: { id } });
  if (count === 0 && after.takenById !== staff.id) {
    throw new AppError('task_taken', '该任务已由其他值班员处理 / Another officer has already taken this task', 409);
  }
  if (count > 0) {
    await audit.record(deps.db, { at: now, actor: { type: 'staff', id: staff.id }, action: 'duty.taken', entity: 'duty_task', entityId: id, caseId: t.caseId });
  }
  return after;
}

/** Marks a task handled (the callback made, the voicemail heard). */
export async function finishDutyTask(deps: Pick<StaffDeps, 'db'>, staff: StaffPrincipal, id: string, now: Date) {
  const t = await findTask(deps, staff, id);
  if (t.status === 'done') return t;
  if (t.takenById && t.takenById !== staff.id && staff.role !== 'supervisor') {
    throw new AppError('task_taken', '该任务由其他值班员处理中 / Another officer is handling this task: they or a supervisor may finish it', 409);
  }
  const done = await markDutyTaskDone(deps.db, t, staff.id, now);
  await audit.record(deps.db, { at: now, actor: { type: 'staff', id: staff.id }, action: 'duty.done', entity: 'duty_task', entityId: id, caseId: t.caseId });
  return done;
}
