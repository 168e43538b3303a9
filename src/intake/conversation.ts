import type { Db, Sql } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import { Prisma } from '../generated/prisma/client.js';
import { identityKind } from './identity.js';
import { findConversation, insertConversation, type ConversationLookup, type Found } from './turn-sql.js';

/** A conversation is continued within this window (a dropped call finished by SMS); after it, a new one starts. */
const CONTINUE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A first message from someone new. Two at once: the loser of the unique key reads the winner's row. */
async function createIdentity(db: Db, kind: ReturnType<typeof identityKind>, address: string): Promise<string> {
  try {
    return (await db.channelIdentity.create({ data: { kind, address }, select: { id: true } })).id;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return (await db.channelIdentity.findUniqueOrThrow({ where: { kind_address: { kind, address } }, select: { id: true } })).id;
    }
    throw err;
  }
}

/** Where to look for the conversation a message continues. */
export function conversationLookup(msg: InboundMessage, now: Date): ConversationLookup {
  return { kind: identityKind(msg.channel), address: msg.sender, openSince: new Date(now.getTime() - CONTINUE_WINDOW_MS) };
}

/**
 * The message's identity and conversation, started when there is none. Almost every message comes from someone
 * known with a conversation under way, found when the message was stored (`found`); else this is one indexed read.
 */
export async function findOrStartConversation(deps: { db: Db; sql: Sql }, msg: InboundMessage, now: Date, found?: Found): Promise<{ identityId: string; conversationId: string }> {
  const lookup = conversationLookup(msg, now);
  const known = found ?? (await findConversation(deps.sql, lookup));
  const identityId = known.identityId ?? (await createIdentity(deps.db, identityKind(msg.channel), msg.sender));
  const conversationId = known.conversationId ?? (await insertConversation(deps.sql, identityId, msg.channel, now));
  return { identityId, conversationId };
}
