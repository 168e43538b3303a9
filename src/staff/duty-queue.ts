import type { StaffDeps } from './ports.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { DutyTaskKind } from '../generated/prisma/enums.js';
import { AppError, notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { DUTY_ROLES, requireRole } from './access.js';
import { takeOverConversation, type DialogStateDeps } from './conversation-hold.js';
import { maskAddress, maskPersonalNumbers } from '../privacy/personal-numbers.js';
import { dutyTaskScope } from './scopes.js';
import { claimDutyTask, claimDutyTasks, finishDutyTasks, markDutyTaskDone } from '../duty/tasks.js';
import { openDialogState } from '../privacy/sealed-state.js';
import { categoryName } from '../referrals/units.js';
import { recordStaffAction } from './staff-action.js';

export const DUTY_KIND_LABELS: Record<DutyTaskKind, string> = {
  urgent: '紧急',
  asked_for_person: '要求转人工',
  stuck: '对话受阻',
  callback: '需回电',
  voicemail: '语音留言',
  escalation: '超时升级',
};

/** A queue longer than this is a crisis that paging would not help with; the most urgent and oldest come first anyway. */
const QUEUE_LIMIT = 200;

const include = {
  case: { select: { trackingNumber: true, conversationId: true, categories: true, address: true, township: { select: { name: true } }, village: { select: { name: true } } } },
  conversation: { select: { id: true, channel: true, status: true, state: true, heldBy: { select: { id: true, name: true } } } },
  takenBy: { select: { id: true, name: true } },
} as const;

type Row = Awaited<ReturnType<typeof findTasks>>[number];
type QueueDeps = Pick<StaffDeps, 'db' | 'directory' | 'cipher'>;

/**
 * A reason in the words an officer reads at a glance: masked, on one line, without the classifier's jargon that
 * older rows may still carry ("命中紧急词：着火" reads "提到：着火").
 */
export function plainReason(reason: string): string {
  return maskPersonalNumbers(reason)
    .replace(/命中(?:了)?(?:紧急|风险)?(?:关键词|词语|词|规则)?[：:]?\s*/g, '提到：')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Where and what the report is about: the case's place and categories, or what the dialog has captured so far. */
function placeAndCategory(deps: QueueDeps, t: Row): { place: string | null; categories: string[] } {
  const names = (codes: string[]) => codes.map((code) => categoryName(deps.directory, code));
  const join = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ') || null;
  if (t.case) {
    const address = t.case.address ? maskPersonalNumbers(t.case.address) : null;
    return { place: join([t.case.township?.name, t.case.village?.name, address]), categories: names(t.case.categories) };
  }
  const state = t.conversation ? openDialogState(t.conversation.state, deps.cipher) : undefined;
  if (!state) return { place: null, categories: [] };
  const towns = deps.directory.directory.townships;
  const placeOf = (townshipCode?: string, villageCode?: string, address?: string) => {
    const town = towns.find((x) => x.code === townshipCode);
    return join([town?.name, town?.villages.find((v) => v.code === villageCode)?.name, address ? maskPersonalNumbers(address) : null]);
  };
  const e = state.emergency;
  return {
    place: placeOf(e.townshipCode, e.villageCode, e.address) ?? placeOf(state.slots.townshipCode, state.slots.villageCode, state.slots.address),
    categories: names(state.categories ?? []),
  };
}

/** The report a task belongs to: its conversation (the case a conversation opened counts as the conversation's). */
const reportOf = (t: Pick<Row, 'id' | 'conversationId' | 'caseId'> & { case: { conversationId: string | null } | null }) =>
  t.conversationId ? `conversation:${t.conversationId}` : t.case?.conversationId ? `conversation:${t.case.conversationId}` : t.caseId ? `case:${t.caseId}` : `task:${t.id}`;

/**
 * One row per report: a resident's urgent call raises a flag on the conversation, and routing raises another on the
 * case the conversation opened; the officer sees one row, acts once, and both tasks move together.
 */
function toItems(deps: QueueDeps, rows: Row[], now: Date) {
  const groups = new Map<string, Row[]>();
  for (const t of rows) {
    const key = reportOf(t);
    const group = groups.get(key);
    if (group) group.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()]
    .map((group) => {
      // The row acts through the task with the conversation, so taking it takes the conversation over.
      const t = group.find((x) => x.conversation) ?? group[0]!;
      const first = new Date(Math.min(...group.map((x) => x.createdAt.getTime())));
      const urgent = group.some((x) => x.urgent);
      const reasons = [...new Set(group.map((x) => plainReason(x.reason)).filter(Boolean))];
      const kinds = [...new Set(group.map((x) => x.kind))];
      const where = placeAndCategory(deps, group.find((x) => x.case) ?? t);
      const kase = group.find((x) => x.case)?.case;
      return {
        id: t.id,
        /** Every task of this report, the row's own first. */
        taskIds: [t.id, ...group.filter((x) => x.id !== t.id).map((x) => x.id)],
        kind: t.kind,
        kindLabel: kinds.map((k) => DUTY_KIND_LABELS[k]).join('、'),
        status: t.status,
        urgent,
        // Reasons quote what the resident said ("来电人称现在有人有危险：…"): numbers in them masked like the rest.
        reason: reasons.join('；'),
        place: where.place,
        categories: where.categories,
        contact: group.find((x) => x.contact)?.contact ? maskAddress(group.find((x) => x.contact)!.contact!) : null,
        hasRecording: group.some((x) => !!x.recordingUrl),
        caseTrackingNumber: kase?.trackingNumber ?? null,
        conversation: t.conversation ? { id: t.conversation.id, channel: t.conversation.channel, status: t.conversation.status, heldBy: t.conversation.heldBy } : null,
        takenBy: t.takenBy,
        createdAt: first.toISOString(),
        waitingMinutes: Math.max(0, Math.floor((now.getTime() - first.getTime()) / 60_000)),
      };
    })
    .sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.createdAt.localeCompare(b.createdAt));
}

function findTasks(db: StaffDeps['db'], where: Prisma.DutyTaskWhereInput) {
  return db.dutyTask.findMany({ where, include, orderBy: [{ urgent: 'desc' }, { createdAt: 'asc' }], take: QUEUE_LIMIT });
}

export type DutyQueueItem = ReturnType<typeof toItems>[number];
export type DutyQueue = { open: DutyQueueItem[]; mine: DutyQueueItem[]; at: string };

/**
 * The live queue in working order: urgent reports first, the longest waiting first within each, one row per report
 * with its place, category and reason; and what this officer has taken.
 */
export async function listDutyQueue(deps: QueueDeps, staff: StaffPrincipal, now: Date): Promise<DutyQueue> {
  requireRole(staff, DUTY_ROLES, '值班队列', 'see the duty queue');
  const [open, mine] = await Promise.all([
    findTasks(deps.db, { AND: [{ status: 'open' }, dutyTaskScope(staff)] }),
    findTasks(deps.db, { AND: [{ status: 'taken', takenById: staff.id }, dutyTaskScope(staff)] }),
  ]);
  return { open: toItems(deps, open, now), mine: toItems(deps, mine, now), at: now.toISOString() };
}

/** The other unfinished tasks of the same report as `t` (see toItems). */
async function sameReport(deps: Pick<StaffDeps, 'db'>, t: { id: string; conversationId: string | null; caseId: string | null }): Promise<string[]> {
  const kase = t.caseId ? await deps.db.case.findUnique({ where: { id: t.caseId }, select: { conversationId: true } }) : null;
  const conversationId = t.conversationId ?? kase?.conversationId ?? null;
  const or: Prisma.DutyTaskWhereInput[] = conversationId ? [{ conversationId }, { case: { conversationId } }] : t.caseId ? [{ caseId: t.caseId }] : [];
  if (or.length === 0) return [];
  const rows = await deps.db.dutyTask.findMany({ where: { AND: [{ id: { not: t.id } }, { status: { not: 'done' } }, { OR: or }] }, select: { id: true } });
  return rows.map((r) => r.id);
}

async function findTask(deps: Pick<StaffDeps, 'db'>, staff: StaffPrincipal, id: string) {
  const t = await deps.db.dutyTask.findFirst({ where: { AND: [{ id }, dutyTaskScope(staff)] } });
  if (!t) throw notFound(`Duty task ${id}`);
  return t;
}

/**
 * Takes a flagged task. A task with a live conversation takes the conversation over too (one officer at a time);
 * callbacks and voicemails are simply claimed, so two officers do not call the same resident. A conversation that has
 * ended cannot be taken over: the task is claimed for a call back, and `conversationEnded` says so. The other tasks
 * of the same report come along.
 */
export async function takeDutyTask(deps: DialogStateDeps, staff: StaffPrincipal, id: string, now: Date) {
  const t = await findTask(deps, staff, id);
  let conversationEnded = false;
  if (t.conversationId) {
    const c = await deps.db.conversation.findUnique({ where: { id: t.conversationId }, select: { status: true } });
    if (c && c.status !== 'closed') await takeOverConversation(deps, staff, t.conversationId, now);
    conversationEnded = c?.status === 'closed';
  }
  const count = await claimDutyTask(deps.db, id, staff.id, now);
  const after = await deps.db.dutyTask.findUniqueOrThrow({ where: { id } });
  if (count === 0 && after.takenById !== staff.id) {
    throw new AppError('task_taken', '该任务已由其他值班员处理 / Another officer has already taken this task', 409);
  }
  await claimDutyTasks(deps.db, await sameReport(deps, t), staff.id, now);
  if (count > 0) {
    await recordStaffAction(deps.db, staff, now, { action: 'duty.taken', entity: 'duty_task', entityId: id, caseId: t.caseId });
  }
  return Object.assign(after, { conversationEnded });
}

/** Marks a task handled (the callback made, the voicemail heard). */
export async function finishDutyTask(deps: Pick<StaffDeps, 'db'>, staff: StaffPrincipal, id: string, now: Date) {
  const t = await findTask(deps, staff, id);
  if (t.status === 'done') return t;
  if (t.takenById && t.takenById !== staff.id && staff.role !== 'supervisor') {
    throw new AppError('task_taken', '该任务由其他值班员处理中 / Another officer is handling this task: they or a supervisor may finish it', 409);
  }
  const done = await markDutyTaskDone(deps.db, t, staff.id, now);
  await finishDutyTasks(deps.db, await sameReport(deps, t), staff.id, now);
  await recordStaffAction(deps.db, staff, now, { action: 'duty.done', entity: 'duty_task', entityId: id, caseId: t.caseId });
  return done;
}
