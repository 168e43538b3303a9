import type { Sql } from '../db/client.js';
import { SqlParams } from '../db/statement.js';
import type { InboundMessage } from '../domain/messages.js';
import { insertInboundSql, waitingFromSenderSql } from '../messages/message-outbox.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { sealInbound } from '../privacy/sealed-message.js';
import { conversationLookup, findConversationSql, foundIn, type Found } from './conversation-store.js';

export type Inserted = { duplicate: false; id: string; found: Found } | { duplicate: true };

const NUL = /\u0000/g;

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replace(NUL, '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)]));
  }
  return value;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a message carrying one would
 * fail to store every time, look like a database outage, and sit in the spool
 * for ever. The character means nothing in a resident's message, so it is dropped
 * (in the text, the ids and the raw payload) before anything else happens.
 */
export function storable(msg: InboundMessage): InboundMessage {
  return withoutNul(msg) as InboundMessage;
}

/**
 * Stores an inbound message before anything else happens, and in the same statement finds whose conversation it
 * belongs to (the messages outbox writes the row, the conversation store the lookup). The unique key
 * (channel, direction, providerId) makes a provider's repeated delivery a duplicate: exactly one row, and only the
 * first delivery goes on to a dialog step. An ID number in it is kept masked, the original sealed
 * (src/privacy/sealed-message.ts).
 */
export async function storeInbound(
  deps: { sql: Sql; cipher: PersonalDataCipher },
  msg: InboundMessage,
  now: Date,
  opts: { waitingWithinMs?: number } = {},
): Promise<Inserted & { waiting?: string[] }> {
  const p = new SqlParams();
  const insert = insertInboundSql(p, msg, sealInbound(msg, deps.cipher));
  // `waitingWithinMs`: also the sender's earlier messages still waiting for their turn (see waitingFromSenderSql).
  const waiting = opts.waitingWithinMs ? `, ${waitingFromSenderSql(p, msg, opts.waitingWithinMs)} AS waiting` : '';
  const lookup = findConversationSql(p, conversationLookup(msg, now));
  const { rows } = await deps.sql.query<{ id: string | null; identityId: string | null; conversationId: string | null; waiting?: string[] }>(
    `WITH ins AS (${insert})
     SELECT (SELECT id FROM ins) AS id, i.id AS "identityId", c.id AS "conversationId"${waiting}
       FROM (SELECT 1) AS one ${lookup}`,
    p.values,
  );
  const row = rows[0];
  if (!row?.id) return { duplicate: true };
  return { duplicate: false, id: row.id, found: foundIn(row), ...(row.waiting ? { waiting: row.waiting } : {}) };
}
