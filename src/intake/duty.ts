import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { Config } from '../config.js';
import { openUrgentCaseTask } from '../duty/tasks.js';
import { queueOutbound, staffMessages } from '../referrals/outbound.js';
import type { Outbox } from '../referrals/ports.js';

/**
 * Tells the duty officers at once that a conversation needs a person: a WeCom
 * message to every active duty officer and the county window, with the reason
 * and a console link, never the resident's full number.
 */
export type DutyNoticeDeps = { db: Db; outbox: Outbox; config: Config; directory: LoadedDirectory };

export async function notifyDutyOfficers(
  deps: DutyNoticeDeps,
  taskId: string,
  now: Date,
): Promise<void> {
  // Without a WeCom app there is no channel to staff: the console queue is where they see it.
  if (!deps.config.wecom?.agentId) return;
  const task = await deps.db.dutyTask.findUniqueOrThrow({ where: { id: taskId }, include: { case: true } });
  const officers = await deps.db.staffUser.findMany({ where: { role: 'duty_officer', active: true, wecomUserId: { not: null } }, select: { wecomUserId: true } });
  const userIds = [...officers.map((o) => o.wecomUserId ?? undefined), ...deps.directory.directory.county.window.wecomUserIds];
  const label = task.urgent ? '【紧急】' : '【转人工】';
  // A link staff cannot open (PUBLIC_BASE_URL unset or local) is left out: the words say where to go instead.
  const where = deps.config.http.staffLinks ? `请在值班台接手：${deps.config.http.publicBaseUrl}/console/duty` : '请登录工作台，在“值班队列”中接手。';
  const text = `${label}${task.reason}${task.case ? `（承办编号${task.case.trackingNumber}）` : ''}。${where}`;
  await queueOutbound(deps, staffMessages(deps, { keyBase: `duty.${task.id}`, userIds, text, purpose: 'duty_flag' }), now);
}

/**
 * Routing found a case urgent (or could not tell whether someone is in danger now): an urgent task on the duty queue
 * for it, and the officers told at once.
 */
export async function flagUrgentCase(deps: DutyNoticeDeps, flag: { caseId: string; reason: string }, now: Date): Promise<void> {
  const task = await openUrgentCaseTask(deps.db, { caseId: flag.caseId, reason: flag.reason, at: now });
  await notifyDutyOfficers(deps, task.id, now);
}
