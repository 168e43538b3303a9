import type { Sql } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { sealInbound } from '../privacy/sealed-message.js';
import { conversationLookup } from './conversation.js';
import { insertInbound, type Inserted } from './turn-sql.js';

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
 * Stores an inbound message before anything else happens. The unique key
 * (channel, direction, providerId) makes a provider's repeated delivery a
 * duplicate: exactly one row, and only the first delivery goes on to a dialog step.
 * An ID number in it is kept masked, the original sealed (src/privacy/sealed-message.ts).
 */
export function storeInbound(deps: { sql: Sql; cipher: PersonalDataCipher }, msg: InboundMessage, now: Date): Promise<Inserted> {
  return insertInbound(deps.sql, msg, sealInbound(msg, deps.cipher), conversationLookup(msg, now));
}
