import type { Deps } from '../composition.js';
import type { DialogState } from '../dialogs/state.js';
import type { Prisma } from '../generated/prisma/client.js';
import { withConversationLock as withLock } from '../intake/lock.js';
import { openDialogState, sealDialogState } from '../privacy/sealed-state.js';

export type DialogStateDeps = Pick<Deps, 'db' | 'redis' | 'config' | 'cipher'>;

/**
 * Runs `fn` holding the conversation's turn lock (the key runTurn takes), so a resident's message arriving at the
 * same moment never reads or writes the dialog state halfway through a staff change.
 */
export function withConversationLock<T>(deps: DialogStateDeps, conversationId: string, fn: () => Promise<T>): Promise<T> {
  return withLock(deps.redis, deps.config.redis.prefix, conversationId, fn);
}

/** The dialog state from the conversation row read inside the lock (`undefined` when none or unreadable). */
export function loadDialogState(deps: DialogStateDeps, stored: unknown): DialogState | undefined {
  return openDialogState(stored, deps.cipher);
}

/**
 * Saves the state where a dialog turn keeps it, the conversation row, sealed: it holds the ID number, name and
 * address captured so far.
 */
export async function saveDialogState(deps: DialogStateDeps, conversationId: string, state: DialogState, extra: Prisma.ConversationUncheckedUpdateInput = {}): Promise<void> {
  await deps.db.conversation.update({ where: { id: conversationId }, data: { ...extra, state: sealDialogState(state, deps.cipher) } });
}
