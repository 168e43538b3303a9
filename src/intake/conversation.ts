import type { Db } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import { Prisma } from '../generated/prisma/client.js';
import { identityKind } from './identity.js';

/** A conversation is continued within this window (a dropped call finished by SMS); after it, a new one starts. */
const CONTINUE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Almost every message comes from someone already known, so this is one indexed read; an upsert would be an
 * interactive transaction of five statements on every turn. Two first messages at once: the loser of the unique
 * key reads the winner's row.
 */
async function findOrCreateIdentity(db: Db, kind: ReturnType<typeof identityKind>, address: string) {
  const where = { kind_address: { kind, address } };
  const known = await db.channelIdentity.findUnique({ where });
  if (known) return known;
  try {
    return await db.channelIdentity.create({ data: { kind, address } });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return db.channelIdentity.findUniqueOrThrow({ where });
    throw err;
  }
}

export async function findOrStartConversation(db: Db, msg: InboundMessage, now: Date) {
  const kind = identityKind(msg.channel);
  const identity = await findOrCreateIdentity(db, kind, msg.sender);
  const recent = await db.conversation.findFirst({
    where: { identityId: identity.id, status: { not: 'closed' }, lastMessageAt: { gt: new Date(now.getTime() - CONTINUE_WINDOW_MS) } },
    orderBy: { lastMessageAt: 'desc' },
  });
  const conversation = recent ?? (await db.conversation.create({ data: { identityId: identity.id, channel: msg.channel, startedAt: now, lastMessageAt: now } }));
  return { identity, conversation };
}
