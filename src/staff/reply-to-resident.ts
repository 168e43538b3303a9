import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StaffDeps } from './ports.js';
import type { InboundMessage } from '../domain/messages.js';
import { AppError } from '../errors.js';
import type { Message } from '../generated/prisma/client.js';
import type { StaffPrincipal } from './principal.js';
import { touchConversation } from '../intake/conversation-store.js';
import { stageStaffReply } from '../messages/message-outbox.js';
import { requireHolding } from './conversation-hold.js';
import { recordStaffAction } from './staff-action.js';

export const ReplyText = z.string().trim().min(1, '回复内容不能为空 / write something to send').max(1000, '回复最多1000字 / at most 1000 characters');

/**
 * The resident's last inbound message names both ends of the channel they used (their number or WeChat id, and our
 * number, app or customer-service account), so a reply goes back exactly the way they came.
 */
export async function residentEndpoint(db: StaffDeps['db'], conversationId: string): Promise<InboundMessage> {
  const last = await db.message.findFirst({
    where: { conversationId, direction: 'inbound', channel: { not: 'console' } },
    orderBy: { receivedAt: 'desc' },
  });
  if (!last) throw new AppError('no_route_to_resident', '该对话没有居民来信，无法回复；请打电话联系 / There is no message from the resident to reply to: call them instead', 409);
  return { channel: last.channel, providerId: last.providerId, sender: last.sender, recipient: last.recipient, text: '', media: [], receivedAt: last.receivedAt, raw: {} };
}

/**
 * A duty officer writes to the resident. The message is stored first (so the transcript shows it even if sending
 * fails), then sent through the resident's channel by the same delivery the bot uses. The answer says whether it went
 * (`sent`), waits for a retry (`queued`), or was refused, which is reported with the provider's reason.
 */
export async function replyToResident(deps: Pick<StaffDeps, 'db' | 'deliver' | 'logger'>, staff: StaffPrincipal, conversationId: string, text: string, now: Date): Promise<Message> {
  const body = ReplyText.safeParse(text);
  if (!body.success) throw new AppError('reply_invalid', body.error.issues.map((i) => i.message).join('; '), 400);
  await requireHolding(deps, staff, conversationId);
  const to = await residentEndpoint(deps.db, conversationId);
  const key = `staff-reply:${conversationId}:${randomUUID()}`;
  const row = await stageStaffReply(deps.db, { key, conversationId, to, text: body.data, staff: { id: staff.id, name: staff.name }, now });
  await deps.deliver(to, { conversationId, replies: [{ text: row.text }], outboundIds: [row.id] });
  await touchConversation(deps.db, conversationId, now);
  const sent = await deps.db.message.findUniqueOrThrow({ where: { id: row.id } });
  await recordStaffAction(deps.db, staff, now, {
    action: 'conversation.replied',
    entity: 'message',
    entityId: row.id,
    after: { conversationId, channel: row.channel, status: sent.status, length: row.text.length },
  });
  // A passing failure leaves the row queued and the outbound queue retries it; only a refusal is final.
  if (sent.status === 'failed') {
    deps.logger.warn({ code: 'reply_not_sent', conversationId, channel: row.channel }, 'staff reply refused by the channel');
    throw new AppError('reply_not_sent', `回复已保存但未能发出：${sent.error ?? '渠道未配置'}。请电话联系居民 / The reply was saved but the channel refused it (${sent.error ?? 'not configured'}): call the resident`, 502);
  }
  return sent;
}
