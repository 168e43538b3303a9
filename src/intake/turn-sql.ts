import { v7 as uuidv7 } from 'uuid';
import type { Sql } from '../db/client.js';
import type { Channel, InboundMessage } from '../domain/messages.js';
import type { StoredInbound } from '../privacy/sealed-message.js';

/**
 * The statements every resident's turn runs, in plain SQL on Prisma's own pool. A turn is the hottest path of
 * the service (a flood or a cold wave brings hundreds a second); through Prisma each statement cost 1–2 ms of
 * CPU, here a fraction of that. Everything else stays on Prisma. Timestamp columns are `timestamp(3)` holding
 * UTC, as Prisma writes them: values go in as ISO strings (the zone is ignored by a `timestamp` cast) and
 * `createdAt` is the database's wall clock in UTC, so transcripts keep their order.
 */

const CREATED_AT = `(clock_timestamp() AT TIME ZONE 'UTC')`;
const iso = (d: Date) => d.toISOString();

export type Found = { identityId?: string; conversationId?: string };
/** Whose conversation a message belongs to: the sender's identity, and their conversation still open since `openSince`. */
export type ConversationLookup = { kind: string; address: string; openSince: Date };

const FIND_CONVERSATION = (kind: string, address: string, openSince: string) => `
  LEFT JOIN "ChannelIdentity" i ON i.kind = ${kind} AND i.address = ${address}
  LEFT JOIN LATERAL (
    SELECT id FROM "Conversation"
     WHERE "identityId" = i.id AND status <> 'closed' AND "lastMessageAt" > ${openSince}::timestamp
     ORDER BY "lastMessageAt" DESC LIMIT 1) c ON true`;

const found = (row: { identityId: string | null; conversationId: string | null } | undefined): Found => ({
  ...(row?.identityId ? { identityId: row.identityId } : {}),
  ...(row?.conversationId ? { conversationId: row.conversationId } : {}),
});

export type Inserted = { duplicate: false; id: string; found: Found } | { duplicate: true };

/**
 * Stores an inbound message once, and in the same statement finds whose conversation it belongs to. A
 * provider's repeated delivery inserts nothing: it is a duplicate, and the first delivery's turn answers it.
 */
export async function insertInbound(sql: Sql, msg: InboundMessage, stored: StoredInbound, lookup: ConversationLookup): Promise<Inserted> {
  const { rows } = await sql.query<{ id: string | null; identityId: string | null; conversationId: string | null }>(
    `WITH ins AS (
       INSERT INTO "Message" (id, channel, direction, "providerId", sender, recipient, text, digits, "speechConfidence", media, raw, status, "receivedAt", "createdAt")
       VALUES ($1, $2::"ChannelKind", 'inbound', $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, 'received', $11::timestamp, ${CREATED_AT})
       ON CONFLICT (channel, direction, "providerId") DO NOTHING RETURNING id)
     SELECT (SELECT id FROM ins) AS id, i.id AS "identityId", c.id AS "conversationId"
       FROM (SELECT 1) AS one ${FIND_CONVERSATION('$12', '$13', '$14')}`,
    [uuidv7(), msg.channel, msg.providerId, msg.sender, msg.recipient, stored.text, stored.digits, msg.speechConfidence ?? null, JSON.stringify(msg.media), JSON.stringify(stored.raw), iso(msg.receivedAt), lookup.kind, lookup.address, iso(lookup.openSince)],
  );
  const row = rows[0];
  return row?.id ? { duplicate: false, id: row.id, found: found(row) } : { duplicate: true };
}

/** The sender's identity and their open conversation, for a message stored earlier (a recovered turn). */
export async function findConversation(sql: Sql, lookup: ConversationLookup): Promise<Found> {
  const { rows } = await sql.query<{ identityId: string | null; conversationId: string | null }>(
    `SELECT i.id AS "identityId", c.id AS "conversationId" FROM (SELECT 1) AS one ${FIND_CONVERSATION('$1', '$2', '$3')}`,
    [lookup.kind, lookup.address, iso(lookup.openSince)],
  );
  return found(rows[0]);
}

/** A first message from someone new. Two at once: the loser of the unique key gets the winner's row. */
export async function insertIdentity(sql: Sql, kind: string, address: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "ChannelIdentity" (id, kind, address, "createdAt") VALUES ($1, $2, $3, ${CREATED_AT})
     ON CONFLICT (kind, address) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`,
    [uuidv7(), kind, address],
  );
  return rows[0]!.id;
}

export async function insertConversation(sql: Sql, identityId: string, channel: Channel, now: Date): Promise<string> {
  const id = uuidv7();
  await sql.query(`INSERT INTO "Conversation" (id, "identityId", channel, "startedAt", "lastMessageAt") VALUES ($1, $2, $3::"ChannelKind", $4::timestamp, $4::timestamp)`, [id, identityId, channel, iso(now)]);
  return id;
}

export type TurnStart = { messageStatus: string; conversationStatus: string; state: unknown };

/** Read inside the conversation's lock: whether the message still waits for its turn, who holds the conversation, and its saved state. */
export async function readTurnStart(sql: Sql, messageId: string, conversationId: string): Promise<TurnStart> {
  const { rows } = await sql.query<TurnStart>(
    `SELECT m.status AS "messageStatus", c.status AS "conversationStatus", c.state FROM "Message" m, "Conversation" c WHERE m.id = $1 AND c.id = $2`,
    [messageId, conversationId],
  );
  if (!rows[0]) throw new Error(`message ${messageId} or conversation ${conversationId} not found`);
  return rows[0];
}

export type ReplyRow = { key: string; text: string };

export type TurnOutcome = {
  messageId: string;
  conversationId: string;
  now: Date;
  /** The saved (sealed) dialog state and whether the conversation ended; absent when the turn did not step the dialog. */
  state?: { stored: unknown; closed: boolean };
  replies: ReplyRow[];
  /** Channel, from and to of the replies: the resident's channel, our number or app, the resident. */
  channel: Channel;
  from: string;
  to: string;
  /**
   * `in_response` when the replies go back inside the webhook's own response (TwiML): `sent` once that response has
   * been handed over (see markRepliesSent), else `queued` for delivery.
   */
  replyStatus: 'in_response' | 'queued';
};

/**
 * Everything a turn leaves behind, in one statement and so all or nothing: the dialog state, the message marked
 * processed and the replies stored before they are sent. A turn replayed after a failure finds its replies
 * (keyed by the inbound message) already there and takes their ids. Returns the reply ids in order.
 */
export async function finishTurn(sql: Sql, o: TurnOutcome): Promise<string[]> {
  const ids = o.replies.map(() => uuidv7());
  const keys = o.replies.map((r) => r.key);
  const { rows } = await sql.query<{ id: string; key: string }>(
    `WITH conv AS (
       UPDATE "Conversation"
          SET state = $2::jsonb, "lastMessageAt" = $3::timestamp, status = CASE WHEN $4::boolean THEN 'closed'::"ConversationStatus" ELSE status END
        WHERE id = $1::uuid AND $2::jsonb IS NOT NULL RETURNING id),
     msg AS (
       UPDATE "Message" SET status = 'processed', "processedAt" = $3::timestamp, "conversationId" = $1::uuid WHERE id = $5::uuid RETURNING id),
     ins AS (
       INSERT INTO "Message" (id, channel, direction, "providerId", "idempotencyKey", "conversationId", sender, recipient, text, status, "receivedAt", "createdAt")
       SELECT r.id, $6::"ChannelKind", 'outbound', r.key, r.key, $1::uuid, $7, $8, r.text, $9::"MessageStatus", $3::timestamp, ${CREATED_AT}
         FROM unnest($10::uuid[], $11::text[], $12::text[]) WITH ORDINALITY AS r(id, key, text, n)
        ORDER BY r.n
       ON CONFLICT DO NOTHING RETURNING id, "idempotencyKey" AS key)
     SELECT id, key FROM ins`,
    [o.conversationId, o.state ? JSON.stringify(o.state.stored) : null, iso(o.now), o.state?.closed ?? false, o.messageId, o.channel, o.from, o.to, o.replyStatus, ids, keys, o.replies.map((r) => r.text)],
  );
  return idsInOrder(sql, keys, rows);
}

/** Stores replies that are not part of a resident's turn (silence reminders, staff hand-back), keyed the same way. */
export async function insertReplies(sql: Sql, r: Pick<TurnOutcome, 'conversationId' | 'now' | 'replies' | 'channel' | 'from' | 'to'>): Promise<string[]> {
  if (r.replies.length === 0) return [];
  const keys = r.replies.map((x) => x.key);
  const { rows } = await sql.query<{ id: string; key: string }>(
    `INSERT INTO "Message" (id, channel, direction, "providerId", "idempotencyKey", "conversationId", sender, recipient, text, status, "receivedAt", "createdAt")
     SELECT r.id, $1::"ChannelKind", 'outbound', r.key, r.key, $2::uuid, $3, $4, r.text, 'queued', $5::timestamp, ${CREATED_AT}
       FROM unnest($6::uuid[], $7::text[], $8::text[]) WITH ORDINALITY AS r(id, key, text, n)
      ORDER BY r.n
     ON CONFLICT DO NOTHING RETURNING id, "idempotencyKey" AS key`,
    [r.channel, r.conversationId, r.from, r.to, iso(r.now), keys.map(() => uuidv7()), keys, r.replies.map((x) => x.text)],
  );
  return idsInOrder(sql, keys, rows);
}

async function idsInOrder(sql: Sql, keys: string[], inserted: { id: string; key: string }[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = inserted.length === keys.length ? inserted : (await sql.query<{ id: string; key: string }>(`SELECT id, "idempotencyKey" AS key FROM "Message" WHERE "idempotencyKey" = ANY($1::text[])`, [keys])).rows;
  const idOf = new Map(rows.map((r) => [r.key, r.id]));
  return keys.map((k) => {
    const id = idOf.get(k);
    if (!id) throw new Error(`reply ${k} neither inserted nor found`);
    return id;
  });
}

/** Replies given back inside a webhook's response, marked sent once the response has gone out whole. */
export async function markRepliesSent(sql: Sql, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(`UPDATE "Message" SET status = 'sent', "processedAt" = $2::timestamp WHERE id = ANY($1::uuid[]) AND status = 'in_response'`, [ids, iso(now)]);
}

export type StoredReply = { id: string; text: string; status: string };

/** More replies than one turn ever gives (a few statements and a question). */
const MAX_REPLIES_PER_TURN = 32;

/**
 * The inbound message stored under a provider's id and the replies its turn gave, in order: what a redelivered
 * webhook is answered with. `processed` is false while its turn has not finished (or failed, for recovery).
 */
export async function repliesTo(sql: Sql, channel: Channel, providerId: string): Promise<{ processed: boolean; replies: StoredReply[] } | undefined> {
  const { rows } = await sql.query<{ id: string; status: string }>(
    `SELECT id, status::text AS status FROM "Message" WHERE channel = $1::"ChannelKind" AND direction = 'inbound' AND "providerId" = $2`,
    [channel, providerId],
  );
  const inbound = rows[0];
  if (!inbound) return undefined;
  // Keys are `reply:<inbound id>:<n>` (see finish in turn.ts): asked by equality, so the unique index answers.
  const keys = Array.from({ length: MAX_REPLIES_PER_TURN }, (_, n) => `reply:${inbound.id}:${n}`);
  const { rows: replies } = await sql.query<StoredReply & { key: string }>(
    `SELECT id, text, status::text AS status, "idempotencyKey" AS key FROM "Message" WHERE "idempotencyKey" = ANY($1::text[]) AND direction = 'outbound'`,
    [keys],
  );
  const index = (key: string) => Number(key.slice(key.lastIndexOf(':') + 1));
  return {
    processed: inbound.status === 'processed',
    replies: replies.sort((a, b) => index(a.key) - index(b.key)).map(({ id, text, status }) => ({ id, text, status })),
  };
}

/**
 * Replies given in a webhook response that was never handed over (the process died, the connection dropped) and no
 * redelivery came for: SMS ones go back to `queued` for the outbound queue to send through the API; a voice one
 * cannot be spoken any more, so it is marked failed. Returns the SMS rows requeued.
 */
export async function requeueUnconfirmedReplies(sql: Sql, olderThan: Date): Promise<{ id: string; key: string }[]> {
  await sql.query(
    `UPDATE "Message" SET status = 'failed', error = 'the call had moved on before this prompt was handed to Twilio'
      WHERE status = 'in_response' AND direction = 'outbound' AND channel = 'voice' AND "createdAt" < $1::timestamp`,
    [iso(olderThan)],
  );
  const { rows } = await sql.query<{ id: string; key: string }>(
    `UPDATE "Message" SET status = 'queued'
      WHERE status = 'in_response' AND direction = 'outbound' AND channel <> 'voice' AND "createdAt" < $1::timestamp
      RETURNING id, "idempotencyKey" AS key`,
    [iso(olderThan)],
  );
  return rows;
}
