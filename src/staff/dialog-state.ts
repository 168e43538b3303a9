import type { Deps } from '../composition.js';
import type { DialogState } from '../dialogs/state.js';
import type { Prisma } from '../generated/prisma/client.js';
import { withConversationLock as withLock } from '../intake/lock.js';
import { createSessionStore } from '../intake/sessions.js';

export type DialogStateDeps = Pick<Deps, 'db' | 'redis' | 'config'>;

/**
 * Runs `fn` holding the conversation's turn lock (the key runTurn takes), so a resident's message arriving at the
 * same moment never reads or writes the dialog state halfway through a staff change.
 */
export function withConversationLock<T>(deps: DialogStateDeps, conversationId: string, fn: () => Promise<T>): Promise<T> {
  return withLock(deps.redis, deps.config.redis.prefix, conversationId, fn);
}

/** The dialog state in flight (Redis), or the database copy when Redis lost it. Call inside the lock. */
export function loadDialogState(deps: DialogStateDeps, conversationId: string, dbCopy: unknown): Promise<DialogState | undefined> {
  return createSessionStore(deps.redis, deps.config.redis.prefix).load(conversationId, dbCopy);
}

/** Saves to both places, as a dialog turn does: Redis for the next turn, the database for staff and recovery. */
export async function saveDialogState(deps: DialogStateDeps, conversationId: string, state: DialogState, extra: Prisma.ConversationUncheckedUpdateInput = {}): Promise<void> {
  await createSessionStore(deps.redis, deps.config.redis.prefix).save(conversationId, state);
  await deps.db.conversation.update({ where: { id: conversationId }, data: { ...extra, state: state as unknown as Prisma.InputJsonValue } });
}
