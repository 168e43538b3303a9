import type { Db } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import { identityKind } from './identity.js';

/** A conversation is continued within this window (a dropped call finished by SMS); after it, a new one starts. */
const CONTINUE_WINDOW_MS = 24 * 60 * 60 * 1000;

export async function findOrStartConversation(db: Db, msg: InboundMessage, now: Date) {
  const kind = identityKind(msg.channel);
  const identity = await db.channelIdentity.upsert({
    where: { kind_address: { kind, address: msg.sender } },
    create: { kind, address: msg.sender },
    update: {},
  });
  const recent = await db.conversation.findFirst({
    where: { identityId: identity.id, status: { not: 'closed' }, lastMessageAt: { gt: new Date(now.getTime() - CONTINUE_WINDOW_MS) } },
    orderBy: { lastMessageAt: 'desc' },
  });
  const conversation = recent ?? (await db.conversation.create({ data: { identityId: identity.id, channel: msg.channel, startedAt: now, lastMessageAt: now } }));
  return { identity, conversation };
}
