import type { Conversation } from '../generated/prisma/client.js';
import { AppError, notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { DUTY_ROLES, requireRole } from './access.js';
import type { StaffDeps } from './ports.js';
import { claimConversation, closeWithoutState, readState, saveStaffState } from '../intake/conversation-store.js';
import { withConversationLock } from '../intake/lock.js';
import { openDialogState } from '../privacy/sealed-state.js';
import { conversationScope } from './scopes.js';
import { claimConversationTasks, finishConversationTasks } from '../duty/tasks.js';
import { recordStaffAction } from './staff-action.js';

/**
 * What a staff change to a conversation needs. Every change of its dialog state holds the conversation's lock (the
 * one the dialog runner takes), so a resident's message arriving at the same moment never reads or writes the state
 * halfway through; the conversation store writes it.
 */
export type DialogStateDeps = Pick<StaffDeps, 'db' | 'redis' | 'config' | 'cipher'>;

/** A conversation the staff member may see, or 404. */
export async function findConversation(deps: Pick<DialogStateDeps, 'db'>, staff: StaffPrincipal, id: string): Promise<Conversation> {
  const c = await deps.db.conversation.findFirst({ where: { AND: [{ id }, conversationScope(staff)] } });
  if (!c) throw notFound(`Conversation ${id}`);
  requireRole(staff, DUTY_ROLES, '接管和处理对话', 'handle conversations');
  return c;
}

async function holderName(deps: Pick<DialogStateDeps, 'db'>, id: string): Promise<string> {
  const c = await deps.db.conversation.findUnique({ where: { id }, select: { heldBy: { select: { name: true } } } });
  return c?.heldBy?.name ?? '其他值班员';
}

/** The conversation, provided this staff member holds it; replies, field edits and hand-back need that. */
export async function requireHolding(deps: Pick<DialogStateDeps, 'db'>, staff: StaffPrincipal, id: string): Promise<Conversation> {
  const c = await findConversation(deps, staff, id);
  if (c.status === 'staff' && c.heldById === staff.id) return c;
  if (c.status === 'closed') throw new AppError('conversation_closed', '该对话已结束 / This conversation is closed: the resident starts a new one by writing again', 409);
  if (c.heldById) {
    throw new AppError('conversation_held', `该对话已由${await holderName(deps, id)}接管 / Another officer holds this conversation: ask them to hand it over`, 409);
  }
  throw new AppError('not_holding', '请先接管该对话 / Take over the conversation first', 409);
}

/**
 * Takes a conversation over from the bot. One officer at a time: the update only matches while nobody holds it, so
 * two officers clicking at once cannot both win. The dialog is parked in its hand-over flow, remembering where it
 * was, so handing back resumes the right question.
 */
export async function takeOverConversation(deps: DialogStateDeps, staff: StaffPrincipal, id: string, now: Date): Promise<Conversation> {
  const c = await findConversation(deps, staff, id);
  if (c.status === 'staff' && c.heldById === staff.id) return c;
  if (c.status === 'closed') throw new AppError('conversation_closed', '该对话已结束 / This conversation is closed: it cannot be taken over', 409);
  if (!(await claimConversation(deps.db, id, staff.id))) {
    throw new AppError('conversation_held', `该对话已由${await holderName(deps, id)}接管 / Another officer took this conversation over first`, 409);
  }
  await claimConversationTasks(deps.db, id, staff.id, now);
  await recordStaffAction(deps.db, staff, now, { action: 'conversation.taken_over', entity: 'conversation', entityId: id, before: { status: c.status } });
  await withConversationLock(deps.redis, deps.config.redis.prefix, id, async () => {
    const state = await readState(deps, id);
    if (!state || state.flow === 'handover' || state.flow === 'closed') return;
    await saveStaffState(deps, id, { ...state, heldFlow: state.flow, flow: 'handover', updatedAt: now.toISOString() });
  });
  return deps.db.conversation.findUniqueOrThrow({ where: { id } });
}

/** Ends the conversation (the matter is settled or moved to a case); its open duty tasks are done with it. */
export async function closeConversation(deps: DialogStateDeps, staff: StaffPrincipal, id: string, now: Date): Promise<Conversation> {
  const c = await findConversation(deps, staff, id);
  if (c.status === 'closed') return c;
  if (c.heldById && c.heldById !== staff.id && staff.role !== 'supervisor') {
    throw new AppError('conversation_held', `该对话已由${await holderName(deps, id)}接管，只有接管人或督办人员可以结束 / Another officer holds this conversation: they or a supervisor may close it`, 409);
  }
  await withConversationLock(deps.redis, deps.config.redis.prefix, id, async () => {
    const state = openDialogState(c.state, deps.cipher);
    if (state) await saveStaffState(deps, id, { ...state, flow: 'closed', step: undefined, updatedAt: now.toISOString() }, { status: 'closed', heldById: null });
    else await closeWithoutState(deps.db, id);
  });
  await finishConversationTasks(deps.db, id, now);
  await recordStaffAction(deps.db, staff, now, { action: 'conversation.closed', entity: 'conversation', entityId: id, before: { status: c.status } });
  return deps.db.conversation.findUniqueOrThrow({ where: { id } });
}
