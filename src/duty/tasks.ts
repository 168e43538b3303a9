import type { DutyTask, Prisma } from '../generated/prisma/client.js';
import type { DutyTaskKind } from '../generated/prisma/enums.js';

/**
 * The duty officers' tasks (DutyTask rows): the one module that creates and moves them. Whoever raises a task (a
 * dialog asking for a person, routing finding a case urgent, a referral's supervision or duty step, a voicemail) and
 * whoever takes or finishes one (the duty queue, taking over, closing or handing back a conversation) calls these;
 * none writes the table itself (test/structure/table-owners-duty-audit.test.ts checks it). Reading the queue is the
 * staff side's (src/staff/duty-queue.ts); telling the officers is src/intake/duty.ts.
 */

/** Anything that can write the tasks: the client or a transaction. */
export type DutyTaskWriter = Pick<Prisma.TransactionClient, 'dutyTask'>;

export type NewDutyTask = {
  kind: DutyTaskKind;
  /** Left out: not urgent. */
  urgent?: boolean;
  /** What the officer reads first; may quote the resident (masked when shown). */
  reason: string;
  caseId?: string | null;
  conversationId?: string | null;
  /** Where to reach the resident back (a phone or channel address). */
  contact?: string | null;
  recordingUrl?: string | null;
  at: Date;
};

/** Puts a task on the duty queue, open. */
export function openDutyTask(db: DutyTaskWriter, t: NewDutyTask): Promise<DutyTask> {
  return db.dutyTask.create({
    data: {
      kind: t.kind,
      urgent: t.urgent,
      reason: t.reason,
      caseId: t.caseId,
      conversationId: t.conversationId,
      contact: t.contact,
      recordingUrl: t.recordingUrl,
      createdAt: t.at,
    },
  });
}

/** An urgent task about a case (routing found it urgent, or an urgent referral went unsigned). */
export function openUrgentCaseTask(db: DutyTaskWriter, t: { caseId: string; reason: string; at: Date }): Promise<DutyTask> {
  return openDutyTask(db, { kind: 'urgent', urgent: true, ...t });
}

/** Claims an open task for one officer; 0 when it was no longer open (someone else was quicker, or it is done). */
export async function claimDutyTask(db: DutyTaskWriter, id: string, staffId: string, at: Date): Promise<number> {
  const { count } = await db.dutyTask.updateMany({ where: { id, status: 'open' }, data: { status: 'taken', takenById: staffId, takenAt: at } });
  return count;
}

/** Marks a task done; one never taken counts as taken by whoever finished it. */
export function markDutyTaskDone(db: DutyTaskWriter, t: Pick<DutyTask, 'id' | 'takenById' | 'takenAt'>, staffId: string, at: Date): Promise<DutyTask> {
  return db.dutyTask.update({ where: { id: t.id }, data: { status: 'done', doneAt: at, takenById: t.takenById ?? staffId, takenAt: t.takenAt ?? at } });
}

/** An officer took the conversation over: its open tasks are theirs. */
export async function claimConversationTasks(db: DutyTaskWriter, conversationId: string, staffId: string, at: Date): Promise<void> {
  await db.dutyTask.updateMany({ where: { conversationId, status: 'open' }, data: { status: 'taken', takenById: staffId, takenAt: at } });
}

/**
 * The conversation's tasks are done with it: on closing, every task not done yet; on handing back to the bot
 * (`onlyTaken`), the ones the officer had taken (an open one, raised meanwhile, stays on the queue).
 */
export async function finishConversationTasks(db: DutyTaskWriter, conversationId: string, at: Date, opts: { onlyTaken?: boolean } = {}): Promise<void> {
  await db.dutyTask.updateMany({
    where: { conversationId, status: opts.onlyTaken ? 'taken' : { not: 'done' } },
    data: { status: 'done', doneAt: at },
  });
}

/**
 * The other tasks of the same report (the conversation's flag and the urgent-case flag routing raised for the case the
 * conversation opened): claimed with the one taken, so the report is one row and one officer's. Only open ones move.
 */
export async function claimDutyTasks(db: DutyTaskWriter, ids: string[], staffId: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.dutyTask.updateMany({ where: { id: { in: ids }, status: 'open' }, data: { status: 'taken', takenById: staffId, takenAt: at } });
}

/** Finishes the other tasks of the same report with the one finished; one never taken counts as this officer's. */
export async function finishDutyTasks(db: DutyTaskWriter, ids: string[], staffId: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.dutyTask.updateMany({ where: { id: { in: ids }, status: 'open' }, data: { status: 'done', doneAt: at, takenById: staffId, takenAt: at } });
  await db.dutyTask.updateMany({ where: { id: { in: ids }, status: 'taken' }, data: { status: 'done', doneAt: at } });
}
