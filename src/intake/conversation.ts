import type { Sql } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import { identityKind } from './identity.js';
import { findConversation, insertConversation, insertIdentity, type ConversationLookup, type Found } from './turn-sql.js';

/** A conversation is continued within this window (a dropped call finished by SMS); after it, a new one starts. */
const CONTINUE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Where to look for the conversation a message continues. */
export function conversationLookup(msg: InboundMessage, now: Date): ConversationLookup {
  return { kind: identityKind(msg.channel), address: msg.sender, openSince: new Date(now.getTime() - CONTINUE_WINDOW_MS) };
}

/**
 * The message's identity and conversation, started when there is none. Almost every message comes from someone
 * known with a conversation under way, found when the message was stored (`found`); else this is one indexed read.
 */
export async function findOrStartConversation(deps: { sql: Sql }, msg: InboundMessage, now: Date, found?: Found): Promise<{ identityId: string; conversationId: string }> {
  const lookup = conversationLookup(msg, now);
  const known = found ?? (await findConversation(deps.sql, lookup));
  const identityId = known.identityId ?? (await insertIdentity(deps.sql, lookup.kind, msg.sender));
  const conversationId = known.conversationId ?? (await insertConversation(deps.sql, identityId, msg.channel, now));
  return { identityId, conversationId };
}
