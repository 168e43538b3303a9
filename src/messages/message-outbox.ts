import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Db, Sql } from '../db/client.js';
import { CREATED_AT, iso, type SqlParams } from '../db/statement.js';
import type { Channel, InboundMessage } from '../domain/messages.js';
import type { Message, Prisma } from '../generated/prisma/client.js';
import { maskPersonalNumbers } from '../privacy/personal-numbers.js';
import type { StoredInbound } from '../privacy/sealed-message.js';

/**
 * The Message table's one writer: inbound messages stored as they arrive, outbound messages staged before they are
 * sent (a dialog's replies, a staff reply, referral notices), and every change of a message's status (processed,
 * in_response → sent, queued → sent or failed, requeued). Nothing else inserts or updates Message rows
 * (test/structure/table-owners-conversation-message.test.ts checks it).
 *
 * The hot statements are plain SQL on Prisma's own pool. Some are parts of one statement that also writes the
 * conversation (a resident's turn commits in one statement, all or nothing): those parts are built here with the
 * statement's `SqlParams` and joined by the dialog runner (src/intake/dialog-runner.ts).
 */

type Tx = Prisma.TransactionClient;
/** A pooled connection inside a transaction, or the pool itself. */
type Queryable = pg.Pool | pg.PoolClient;

// ───────────────────────── inbound ─────────────────────────

/**
 * Part of a statement (a CTE body, `RETURNING id`) that stores an inbound message once: a provider's repeated
 * delivery inserts nothing. The caller joins it with the lookup of the sender's conversation.
 */
export function insertInboundSql(p: SqlParams, msg: InboundMessage, stored: StoredInbound): string {
  return `INSERT INTO "Message" (id, channel, direction, "providerId", sender, recipient, text, digits, "speechConfidence", media, raw, status, "receivedAt", "createdAt")
       VALUES (${p.add(uuidv7())}, ${p.add(msg.channel)}::"ChannelKind", 'inbound', ${p.add(msg.providerId)}, ${p.add(msg.sender)}, ${p.add(msg.recipient)}, ${p.add(stored.text)}, ${p.add(stored.digits)}, ${p.add(msg.speechConfidence ?? null)}, ${p.add(JSON.stringify(msg.media))}::jsonb, ${p.add(JSON.stringify(stored.raw))}::jsonb, 'received', ${p.add(iso(msg.receivedAt))}::timestamp, ${CREATED_AT})
       ON CONFLICT (channel, direction, "providerId") DO NOTHING RETURNING id`;
}

/**
 * Part of a statement (a scalar subquery, text[]): the messages from the same sender on the same channel still waiting
 * for their turn, stored within `windowMs` before the statement, oldest first (the statement's own insert is not among
 * them). A channel that acknowledges before the turn runs (WeCom) learns this way, without a statement of its own,
 * that another process holds an earlier message of this resident whose turn must come first.
 */
export function waitingFromSenderSql(p: SqlParams, msg: Pick<InboundMessage, 'channel' | 'sender'>, windowMs: number): string {
  return `(SELECT COALESCE(array_agg(e.id::text ORDER BY e."createdAt"), '{}'::text[]) FROM "Message" e
     WHERE e.direction = 'inbound' AND e.status = 'received' AND e.channel = ${p.add(msg.channel)}::"ChannelKind" AND e.sender = ${p.add(msg.sender)}
       AND e."createdAt" > ${CREATED_AT} - ${p.add(windowMs)} * interval '1 millisecond')`;
}

/**
 * Part of a statement (a CTE body) that marks a resident's message processed, in the conversation it belongs to, only
 * while it still waits for its turn: the fence that keeps a turn from being committed twice. A process whose lock ran
 * out while its turn was still running (it stalled, or another took the conversation after the lock's TTL) finds the
 * message already processed, and its statement writes nothing (the runner makes the state and replies depend on this
 * part's row).
 */
export function markProcessedSql(p: SqlParams, o: { messageId: string; conversationId: string; now: Date }): string {
  return `UPDATE "Message" SET status = 'processed', "processedAt" = ${p.add(iso(o.now))}::timestamp, "conversationId" = ${p.add(o.conversationId)}::uuid
           WHERE id = ${p.add(o.messageId)}::uuid AND status = 'received' RETURNING id`;
}

/** A stored inbound message as its turn needs it (the resident's words still sealed: see src/privacy/sealed-message.ts). */
export type StoredInboundRow = Pick<Message, 'id' | 'channel' | 'providerId' | 'sender' | 'recipient' | 'text' | 'digits' | 'raw' | 'speechConfidence' | 'media' | 'receivedAt'>;

const STORED_INBOUND_COLUMNS = `e.id, e.channel::text AS channel, e."providerId", e.sender, e.recipient, e.text, e.digits, e.raw, e."speechConfidence", e.media,
            e."receivedAt" AT TIME ZONE 'UTC' AS "receivedAt"`;

/** The inbound message stored under a provider's id, when it still waits for its turn (a redelivery may run it). */
export async function waitingByProviderId(sql: Sql, channel: Channel, providerId: string): Promise<StoredInboundRow | undefined> {
  const { rows } = await sql.query<StoredInboundRow>(
    `SELECT ${STORED_INBOUND_COLUMNS} FROM "Message" e WHERE e.channel = $1::"ChannelKind" AND e.direction = 'inbound' AND e."providerId" = $2 AND e.status = 'received'`,
    [channel, providerId],
  );
  return rows[0];
}

/**
 * Part of a statement: joins onto the row of "Message" aliased `m` (a message whose turn is about to run) the sender's
 * earlier messages on the same channel still waiting for their turn (stored before it, within `windowMs` of it), one
 * row each with the columns of StoredInboundRow (`LEFT JOIN LATERAL … e ON true`: one row of nulls when there are
 * none); the statement orders them oldest first with EARLIER_WAITING_ORDER. A turn runs them first, holding the
 * conversation's lock, so a resident's messages are answered in the order they came whichever process stored each and
 * whichever died meanwhile. The turn reads them in the statement that reads its start (src/intake/conversation-store.ts
 * readTurnStart), and picks them out of its rows with earlierWaitingIn.
 */
export function earlierWaitingJoinSql(p: SqlParams, windowMs: number): string {
  return `LEFT JOIN LATERAL (
    SELECT ${STORED_INBOUND_COLUMNS}, e."createdAt" AS "waitingSince"
      FROM "Message" e
     WHERE e.direction = 'inbound' AND e.status = 'received' AND e.channel = m.channel AND e.sender = m.sender
       AND e."createdAt" < m."createdAt" AND e."createdAt" > m."createdAt" - ${p.add(windowMs)}::int * interval '1 millisecond') e ON true`;
}

/** The ORDER BY of a statement joining earlierWaitingJoinSql: oldest first. */
export const EARLIER_WAITING_ORDER = `ORDER BY e."waitingSince", e.id`;

/** The earlier waiting messages in the rows of a statement joining earlierWaitingJoinSql, in its order. */
export function earlierWaitingIn(rows: readonly Partial<Record<keyof StoredInboundRow, unknown>>[]): StoredInboundRow[] {
  return rows
    .filter((r) => r.id !== null && r.id !== undefined)
    .map((r) => ({
      id: r.id,
      channel: r.channel,
      providerId: r.providerId,
      sender: r.sender,
      recipient: r.recipient,
      text: r.text,
      digits: r.digits,
      raw: r.raw,
      speechConfidence: r.speechConfidence,
      media: r.media,
      receivedAt: r.receivedAt,
    }) as StoredInboundRow);
}

// ───────────────────────── a dialog's replies ─────────────────────────

/** The key of the n-th reply to a resident's message: a replayed turn finds its replies under the same keys. */
export const turnReplyKey = (messageId: string, n: number) => `reply:${messageId}:${n}`;

export type ReplyRow = { key: string; text: string };

export type StagedReplies = {
  conversationId: string;
  now: Date;
  replies: ReplyRow[];
  /** Channel, from and to of the replies: the resident's channel, our number or app, the resident. */
  channel: Channel;
  from: string;
  to: string;
  /**
   * `in_response` when the replies go back inside the webhook's own response (TwiML): `sent` once that response has
   * been handed over (see markRepliesSent); else `queued` for delivery.
   */
  status: 'in_response' | 'queued';
};

/**
 * Part of a statement (a CTE body, `RETURNING id, key`) that stages a dialog's replies as outbound rows, in order,
 * once per key: a replayed step inserts nothing and finds its earlier rows (replyIds).
 * `onlyIf`: a condition the rows are staged under (the runner's fence: the message was still waiting).
 */
export function stageRepliesSql(p: SqlParams, r: StagedReplies, opts: { onlyIf?: string } = {}): string {
  return `INSERT INTO "Message" (id, channel, direction, "providerId", "idempotencyKey", "conversationId", sender, recipient, text, status, "receivedAt", "createdAt")
       SELECT r.id, ${p.add(r.channel)}::"ChannelKind", 'outbound', r.key, r.key, ${p.add(r.conversationId)}::uuid, ${p.add(r.from)}, ${p.add(r.to)}, r.text, ${p.add(r.status)}::"MessageStatus", ${p.add(iso(r.now))}::timestamp, ${CREATED_AT}
         FROM unnest(${p.add(r.replies.map(() => uuidv7()))}::uuid[], ${p.add(r.replies.map((x) => x.key))}::text[], ${p.add(r.replies.map((x) => x.text))}::text[]) WITH ORDINALITY AS r(id, key, text, n)
        ${opts.onlyIf ? `WHERE ${opts.onlyIf}` : ''}
        ORDER BY r.n
       ON CONFLICT DO NOTHING RETURNING id, "idempotencyKey" AS key`;
}

/** The ids of staged replies in key order: the rows just inserted, or those a replayed step staged before. */
export async function replyIds(sql: Sql, keys: string[], inserted: { id: string; key: string }[]): Promise<string[]> {
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
  // Keys are turnReplyKey(inbound id, n): asked by equality, so the unique index answers.
  const keys = Array.from({ length: MAX_REPLIES_PER_TURN }, (_, n) => turnReplyKey(inbound.id, n));
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

/** A reply to a voice caller who has hung up goes by SMS, from our SMS number when the row has no sender. */
export async function switchReplyToSms(sql: Sql, id: string, smsFrom: string): Promise<void> {
  await sql.query(`UPDATE "Message" SET channel = 'sms', sender = COALESCE(NULLIF(sender, ''), $2) WHERE id = $1`, [id, smsFrom]);
}

// ───────────────────────── staged outbound messages ─────────────────────────

/** Channels the hotline sends on; `voice` is an outgoing call that speaks `text`. */
export type OutboundChannel = 'wecom_app' | 'wecom_kf' | 'sms' | 'voice';

/**
 * A message to send, addressed the way its channel needs: wecom_app from the agent id to a member's userid,
 * wecom_kf from the open_kfid to an external_userid, sms/voice from our number to an E.164 number.
 */
export interface OutboundDraft {
  /** Same key, same message: a retried step or job never sends twice. */
  key: string;
  channel: OutboundChannel;
  from: string;
  to: string;
  text: string;
  /** What the message is for (announce, reminder, resident_answer…), kept with it for the record. */
  purpose: string;
  conversationId?: string | null;
  /** Extra data a channel needs, e.g. the TwiML URL of a call. */
  extra?: Record<string, string>;
}

/**
 * Stores drafts as queued outbound Message rows, inside the caller's transaction, so a message exists exactly when
 * the change that caused it committed (a transactional outbox). Repeated keys are skipped. Returns every key.
 */
export async function stageOutbound(tx: Tx | Db, drafts: OutboundDraft[], now: Date): Promise<string[]> {
  if (drafts.length === 0) return [];
  await tx.message.createMany({
    skipDuplicates: true,
    data: drafts.map((d) => ({
      channel: d.channel,
      direction: 'outbound' as const,
      // Unique per channel until the provider's own id replaces it on sending.
      providerId: d.key,
      idempotencyKey: d.key,
      conversationId: d.conversationId ?? null,
      sender: d.from,
      recipient: d.to,
      // Never a full ID or phone number in a message, whatever a staff member typed into a result.
      text: maskPersonalNumbers(d.text),
      raw: { purpose: d.purpose, ...d.extra },
      status: 'queued' as const,
      receivedAt: now,
    })),
  });
  return drafts.map((d) => d.key);
}

/**
 * Part of a plain-SQL statement (a CTE body) that stages drafts as stageOutbound does, for a hot path that commits
 * many tables in one statement (opening a case: src/cases/confirm-case.ts). Repeated keys are skipped.
 */
export function stageOutboundSql(p: SqlParams, drafts: readonly OutboundDraft[], now: Date): string {
  const col = <T>(f: (d: OutboundDraft) => T) => p.add(drafts.map(f));
  return `INSERT INTO "Message" (id, channel, direction, "providerId", "idempotencyKey", "conversationId", sender, recipient, text, raw, status, "receivedAt", "createdAt")
       SELECT d.id, d.channel, 'outbound', d.key, d.key, d.conversation_id, d.sender, d.recipient, d.text, d.raw, 'queued', ${p.add(iso(now))}::timestamp, ${CREATED_AT}
         FROM unnest(${col(() => uuidv7())}::uuid[], ${col((d) => d.channel)}::"ChannelKind"[], ${col((d) => d.key)}::text[], ${col((d) => d.conversationId ?? null)}::uuid[],
                     ${col((d) => d.from)}::text[], ${col((d) => d.to)}::text[], ${col((d) => maskPersonalNumbers(d.text))}::text[],
                     ${col((d) => JSON.stringify({ purpose: d.purpose, ...d.extra }))}::jsonb[])
              WITH ORDINALITY AS d(id, channel, key, conversation_id, sender, recipient, text, raw, n)
        ORDER BY d.n
       ON CONFLICT DO NOTHING`;
}

/**
 * A duty officer's message to the resident, stored queued before it is sent (so the transcript shows it even if
 * sending fails), addressed back the way the resident came (`to` is their last inbound message).
 */
export function stageStaffReply(
  db: Db,
  r: { key: string; conversationId: string; to: InboundMessage; text: string; staff: { id: string; name: string }; now: Date },
): Promise<Message> {
  return db.message.create({
    data: {
      channel: r.to.channel,
      direction: 'outbound',
      providerId: r.key,
      idempotencyKey: r.key,
      conversationId: r.conversationId,
      sender: r.to.recipient,
      recipient: r.to.sender,
      // Never a full ID or mobile number in an SMS or WeChat message, even one a person typed.
      text: maskPersonalNumbers(r.text),
      raw: { purpose: 'staff_reply', staffId: r.staff.id, staffName: r.staff.name },
      status: 'queued',
      receivedAt: r.now,
    },
  });
}

// ───────────────────────── sending ─────────────────────────

/** A staged message the provider took: sent, with the provider's own id when it gave one. Inside the send's transaction. */
export async function markSent(client: Queryable, id: string, now: Date, providerId: string): Promise<void> {
  await client.query(`UPDATE "Message" SET status = 'sent', error = NULL, "processedAt" = $2::timestamp, "providerId" = COALESCE(NULLIF($3, ''), "providerId") WHERE id = $1`, [id, iso(now), providerId]);
}

/** A send that failed: `queued` again while a retry is left, else `failed`, with the reason. Inside the send's transaction. */
export async function markSendFailed(client: Queryable, id: string, status: 'queued' | 'failed', error: string, now: Date): Promise<void> {
  await client.query(`UPDATE "Message" SET status = $2::"MessageStatus", error = $3, "processedAt" = $4::timestamp WHERE id = $1`, [id, status, error, iso(now)]);
}

/** What a provider reported later about a message it took (Twilio's status callback). */
export async function recordProviderStatus(db: Db, providerId: string, status: 'sent' | 'failed', error?: string): Promise<void> {
  await db.message.updateMany({
    where: { direction: 'outbound', providerId },
    data: { status, ...(status === 'failed' && error !== undefined ? { error } : {}) },
  });
}
