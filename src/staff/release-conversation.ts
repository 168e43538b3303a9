import { randomUUID } from 'node:crypto';
import type { Deps } from '../composition.js';
import type { DialogContext } from '../dialogs/context.js';
import type { Effect } from '../dialogs/effects.js';
import { step } from '../dialogs/engine.js';
import { renderFor } from '../dialogs/render.js';
import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Conversation } from '../generated/prisma/client.js';
import type { StaffPrincipal } from '../http/auth.js';
import { executeEffect, type EffectDeps } from '../intake/effects.js';
import { detectUrgency } from '../routing/urgency.js';
import { findConversation, requireHolding } from './conversation-hold.js';
import { loadDialogState, saveDialogState, withConversationLock } from './dialog-state.js';
import { releaseHooks } from './release-hooks.js';
import { residentEndpoint } from './reply-to-resident.js';

type ReleaseDeps = Pick<Deps, 'db' | 'redis' | 'config' | 'directory' | 'policies' | 'cipher' | 'logger' | 'deliver' | 'jobs' | 'referrals' | 'now'>;

/** As in a resident's turn: an effect's result event may emit more effects; this bounds the chain. */
const MAX_EFFECT_ROUNDS = 4;

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
    const state = await loadDialogState(deps, id, c.state);
    const back = { status: 'bot' as const, heldById: null };
    if (!state || !to) {
      await deps.db.conversation.update({ where: { id }, data: back });
      return [];
    }
    const ctx: DialogContext = {
      directory: deps.directory.directory,
      policies: deps.policies,
      now,
      callerPhone: to.channel === 'sms' || to.channel === 'voice' ? to.sender : undefined,
      detectUrgency,
    };
    let result = step(state, { kind: 'event', event: 'staff_released' }, ctx);
    const replies: Reply[] = [...result.replies];
    // No resident message opened this turn; a fresh id keeps openCase's once-per-message rule from matching an older case.
    const turn = { messageId: randomUUID(), conversationId: id, identityId: c.identityId, msg: to, now };
    const effectDeps: EffectDeps = { db: deps.db, cipher: deps.cipher, directory: deps.directory, logger: deps.logger, ...releaseHooks(deps) };
    let pending: Effect[] = result.effects;
    for (let round = 0; pending.length > 0 && round < MAX_EFFECT_ROUNDS; round += 1) {
      const next: Effect[] = [];
      for (const effect of pending) {
        const event = await executeEffect(effectDeps, turn, effect);
        if (!event) continue;
        result = step(result.state, event, ctx);
        replies.push(...result.replies);
        next.push(...result.effects);
      }
      pending = next;
    }
    await saveDialogState(deps, id, result.state, { ...back, lastMessageAt: now, ...(result.state.flow === 'closed' ? { status: 'closed' } : {}) });
    return recordReplies(deps, id, to, renderFor(to.channel, replies), now);
  });
  if (to && outboundIds.length > 0) await deps.deliver(to, { conversationId: id, replies: [], outboundIds });
  await deps.db.dutyTask.updateMany({ where: { conversationId: id, status: 'taken' }, data: { status: 'done', doneAt: now } });
  await deps.db.auditEvent.create({
    data: { at: now, actorType: 'staff', actorId: staff.id, action: 'conversation.released', entity: 'conversation', entityId: id, before: { heldById: held.heldById } },
  });
  return deps.db.conversation.findUniqueOrThrow({ where: { id } });
}

async function recordReplies(deps: Pick<Deps, 'db'>, conversationId: string, to: InboundMessage, replies: Reply[], now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, reply] of replies.entries()) {
    const key = `release:${conversationId}:${now.getTime()}:${i}`;
    const row = await deps.db.message.create({
      data: {
        channel: to.channel,
        direction: 'outbound',
        providerId: key,
        idempotencyKey: key,
        conversationId,
        sender: to.recipient,
        recipient: to.sender,
        text: reply.text,
        raw: { purpose: 'bot_resumed' },
        status: 'queued',
        receivedAt: now,
      },
      select: { id: true },
    });
    ids.push(row.id);
  }
  return ids;
}
