import { randomUUID } from 'node:crypto';
import type { Deps } from '../composition.js';
import { renderFor } from '../dialogs/render.js';
import type { Conversation } from '../generated/prisma/client.js';
import type { StaffPrincipal } from '../http/auth.js';
import { recordReplies, stepWithEffects } from '../intake/turn.js';
import { findConversation, requireHolding } from './conversation-hold.js';
import { loadDialogState, saveDialogState, withConversationLock } from './dialog-state.js';
import { residentEndpoint } from './reply-to-resident.js';

type ReleaseDeps = Pick<Deps, 'db' | 'redis' | 'config' | 'directory' | 'policies' | 'cipher' | 'logger' | 'deliver' | 'jobs' | 'referrals' | 'now' | 'turnDeps'>;

/**
 * Hands the conversation back to the bot: one dialog step with the staff_released event resumes the flow it was in
 * (the bot says so and asks its next question), its effects are carried out as in a resident's turn (e.g. an
 * emergency report the officer completed is opened as a case), the replies are stored and sent, and the officer's
 * duty tasks for it are done. The holder hands back; a supervisor may also release a conversation someone left held.
 */
export async function releaseConversation(deps: ReleaseDeps, staff: StaffPrincipal, id: string, now: Date): Promise<Conversation> {
  const held = await findConversation(deps, staff, id);
  if (!(staff.role === 'supervisor' && held.status === 'staff')) await requireHolding(deps, staff, id);
  const to = await residentEndpoint(deps.db, id).catch(() => undefined);
  const outboundIds = await withConversationLock(deps, id, async () => {
    const c = await deps.db.conversation.findUniqueOrThrow({ where: { id }, include: { identity: true } });
    const state = loadDialogState(deps, c.state);
    const back = { status: 'bot' as const, heldById: null };
    if (!state || !to) {
      await deps.db.conversation.update({ where: { id }, data: back });
      return [];
    }
    // No resident message opened this turn; a fresh id keeps openCase's once-per-message rule from matching an older case.
    const turn = { messageId: randomUUID(), conversationId: id, identityId: c.identityId, msg: to, now };
    const { result, replies } = await stepWithEffects(deps.turnDeps, turn, state, { kind: 'event', event: 'staff_released' });
    await saveDialogState(deps, id, result.state, { ...back, lastMessageAt: now, ...(result.state.flow === 'closed' ? { status: 'closed' } : {}) });
    return recordReplies(deps.turnDeps, turn, renderFor(to.channel, replies), `release:${id}:${now.getTime()}`);
  });
  if (to && outboundIds.length > 0) await deps.deliver(to, { conversationId: id, replies: [], outboundIds });
  await deps.db.dutyTask.updateMany({ where: { conversationId: id, status: 'taken' }, data: { status: 'done', doneAt: now } });
  await deps.db.auditEvent.create({
    data: { at: now, actorType: 'staff', actorId: staff.id, action: 'conversation.released', entity: 'conversation', entityId: id, before: { heldById: held.heldById } },
  });
  return deps.db.conversation.findUniqueOrThrow({ where: { id } });
}
