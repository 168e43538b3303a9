import { v7 as uuidv7 } from 'uuid';
import type { Db, Sql } from '../db/client.js';
import { CREATED_AT, iso, SqlParams } from '../db/statement.js';
import type { DialogState } from '../dialogs/state.js';
import type { Channel, InboundMessage } from '../domain/messages.js';
import { EARLIER_WAITING_ORDER, earlierWaitingIn, earlierWaitingJoinSql, type StoredInboundRow } from '../messages/message-outbox.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { openDialogState, sealDialogState } from '../privacy/sealed-state.js';
import { identityKind } from './identity.js';

/**
 * The Conversation table's one writer: conversations started for a resident's first message, the dialog state saved
 * after each step (sealed: it holds the ID number, name and address captured so far), and the staff changes (take
 * over, hand back, close, edit the captured fields). Nothing else inserts or updates Conversation rows
 * (test/structure/table-owners-conversation-message.test.ts checks it). Every change of the dialog state is made
 * holding the conversation's lock (withConversationLock in ./lock.ts).
 *
 * The hot statements are plain SQL on Prisma's own pool (a resident's turn); the staff changes go through Prisma.
 * Timestamp columns are `timestamp(3)` holding UTC, as Prisma writes them.
 */

export type Found = { identityId?: string; conversationId?: string };
/** Whose conversation a message belongs to: the sender's identity, and their conversation still open since `openSince`. */
export type ConversationLookup = { kind: string; address: string; openSince: Date };

/** A conversation is continued within this window (a dropped call finished by SMS); after it, a new one starts. */
const CONTINUE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Where to look for the conversation a message continues. */
export function conversationLookup(msg: InboundMessage, now: Date): ConversationLookup {
  return { kind: identityKind(msg.channel), address: msg.sender, openSince: new Date(now.getTime() - CONTINUE_WINDOW_MS) };
}

/** Part of a statement: joins the sender's identity (`i`) and their open conversation (`c`) onto the rows before it. */
export function findConversationSql(p: SqlParams, lookup: ConversationLookup): string {
  return `
  LEFT JOIN "ChannelIdentity" i ON i.kind = ${p.add(lookup.kind)} AND i.address = ${p.add(lookup.address)}
  LEFT JOIN LATERAL (
    SELECT id FROM "Conversation"
     WHERE "identityId" = i.id AND status <> 'closed' AND "lastMessageAt" > ${p.add(iso(lookup.openSince))}::timestamp
     ORDER BY "lastMessageAt" DESC LIMIT 1) c ON true`;
}

/** The identity and conversation a row of findConversationSql names. */
export const foundIn = (row: { identityId: string | null; conversationId: string | null } | undefined): Found => ({
  ...(row?.identityId ? { identityId: row.identityId } : {}),
  ...(row?.conversationId ? { conversationId: row.conversationId } : {}),
});

/** The sender's identity and their open conversation, for a message stored earlier (a recovered turn). */
async function findConversation(sql: Sql, lookup: ConversationLookup): Promise<Found> {
  const p = new SqlParams();
  const joins = findConversationSql(p, lookup);
  const { rows } = await sql.query<{ identityId: string | null; conversationId: string | null }>(
    `SELECT i.id AS "identityId", c.id AS "conversationId" FROM (SELECT 1) AS one ${joins}`,
    p.values,
  );
  return foundIn(rows[0]);
}

/** A first message from someone new. Two at once: the loser of the unique key gets the winner's row. */
async function insertIdentity(sql: Sql, kind: string, address: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "ChannelIdentity" (id, kind, address, "createdAt") VALUES ($1, $2, $3, ${CREATED_AT})
     ON CONFLICT (kind, address) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`,
    [uuidv7(), kind, address],
  );
  return rows[0]!.id;
}

/**
 * Starts the identity's conversation, unless another turn started one since the caller looked: two first messages
 * of a new resident at once (two processes, or a turn catching up an earlier message) start one conversation. The
 * check and the insert run in one transaction holding an advisory lock on the identity, so the second waits for the
 * first and then finds its row; a process that dies holding it loses its connection, and with it the lock.
 *
 * The transaction goes in one round trip: its statements are sent together (the simple query protocol, so the values
 * are written into the text as escaped literals; they are ids, a channel and a time, none from a resident). Each
 * statement still reads what was committed before it began, so the check after the lock sees the first one's row.
 */
async function startConversation(sql: Sql, identityId: string, lookup: ConversationLookup, channel: Channel, now: Date, messageId?: string): Promise<string> {
  const client = await sql.connect();
  const lit = (value: string | null) => (value === null ? 'NULL' : client.escapeLiteral(value));
  const at = `${lit(iso(now))}::timestamp`;
  try {
    // The open conversation, or (a message whose turn another process has run meanwhile, and whose conversation that
    // turn closed) the conversation the message went to: its turn then finds it done, and leaves no empty one behind.
    // Else a new one.
    const results = (await client.query(
      `BEGIN;
       SELECT pg_advisory_xact_lock(hashtextextended(${lit(`conversation-start:${identityId}`)}, 0));
       WITH found AS (
         SELECT id FROM (
           (SELECT id, 0 AS pick FROM "Conversation" WHERE "identityId" = ${lit(identityId)}::uuid AND status <> 'closed' AND "lastMessageAt" > ${lit(iso(lookup.openSince))}::timestamp ORDER BY "lastMessageAt" DESC LIMIT 1)
            UNION ALL
           SELECT "conversationId", 1 FROM "Message" WHERE id = ${lit(messageId ?? null)}::uuid AND status <> 'received' AND "conversationId" IS NOT NULL) f
          ORDER BY pick LIMIT 1),
       ins AS (
         INSERT INTO "Conversation" (id, "identityId", channel, "startedAt", "lastMessageAt")
         SELECT ${lit(uuidv7())}::uuid, ${lit(identityId)}::uuid, ${lit(channel)}::"ChannelKind", ${at}, ${at} WHERE NOT EXISTS (SELECT 1 FROM found)
         RETURNING id)
       SELECT id FROM found UNION ALL SELECT id FROM ins;
       COMMIT`,
    )) as unknown as { rows: { id: string }[] }[];
    const id = results[2]?.rows[0]?.id;
    if (!id) throw new Error(`conversation of identity ${identityId} neither found nor started`);
    return id;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The message's identity and conversation, started when there is none. Almost every message comes from someone
 * known with a conversation under way, found when the message was stored (`found`); else (a turn recovered or caught
 * up) this is one indexed read. A conversation is started under the identity's lock (startConversation), so a race of
 * first messages starts one.
 */
export async function findOrStartConversation(deps: { sql: Sql }, msg: InboundMessage, now: Date, found?: Found, messageId?: string): Promise<{ identityId: string; conversationId: string }> {
  const lookup = conversationLookup(msg, now);
  // What the store found may be stale (no conversation then, one started since by a turn of an earlier message; no
  // identity then, one added since): it is not read again, since the identity's insert finds one added meanwhile and
  // startConversation, holding the identity's lock, finds a conversation started meanwhile.
  const known = found ?? (await findConversation(deps.sql, lookup));
  const identityId = known.identityId ?? (await insertIdentity(deps.sql, lookup.kind, msg.sender));
  const conversationId = known.conversationId ?? (await startConversation(deps.sql, identityId, lookup, msg.channel, now, messageId));
  return { identityId, conversationId };
}

export type TurnStart = { messageStatus: string; conversationStatus: string; state: unknown };

/**
 * Read inside the conversation's lock: whether the message still waits for its turn, who holds the conversation, and
 * its saved state. `earlierWithinMs`: in the same statement, the sender's earlier messages still waiting for their
 * turn (earlierWaitingJoinSql in the messages outbox), oldest first, which the turn runs first; one round trip where
 * a turn made two.
 */
export async function readTurnStart(sql: Sql, messageId: string, conversationId: string, opts: { earlierWithinMs?: number } = {}): Promise<TurnStart & { earlier: StoredInboundRow[] }> {
  const p = new SqlParams();
  const [m, c] = [p.add(messageId), p.add(conversationId)];
  const earlier = opts.earlierWithinMs !== undefined;
  const { rows } = await sql.query<TurnStart & Partial<Record<keyof StoredInboundRow, unknown>>>(
    earlier
      ? `SELECT m.status AS "messageStatus", c.status AS "conversationStatus", c.state, e.*
           FROM "Message" m CROSS JOIN "Conversation" c ${earlierWaitingJoinSql(p, opts.earlierWithinMs!)}
          WHERE m.id = ${m} AND c.id = ${c} ${EARLIER_WAITING_ORDER}`
      : `SELECT m.status AS "messageStatus", c.status AS "conversationStatus", c.state FROM "Message" m, "Conversation" c WHERE m.id = ${m} AND c.id = ${c}`,
    p.values,
  );
  const row = rows[0];
  if (!row) throw new Error(`message ${messageId} or conversation ${conversationId} not found`);
  return { messageStatus: row.messageStatus, conversationStatus: row.conversationStatus, state: row.state, earlier: earlier ? earlierWaitingIn(rows) : [] };
}

/** The conversation a timer or a staff hand-back steps, with the address of the resident it belongs to. */
export function loadConversation(db: Db, id: string) {
  return db.conversation.findUnique({ where: { id }, include: { identity: true } });
}

/**
 * The dialog state as it is saved now, read inside the conversation's lock (`undefined` when none, or unreadable:
 * the dialog then restarts with a safe prompt).
 */
export async function readState(deps: { db: Db; cipher: PersonalDataCipher }, id: string): Promise<DialogState | undefined> {
  const c = await deps.db.conversation.findUniqueOrThrow({ where: { id }, select: { state: true } });
  return openDialogState(c.state, deps.cipher);
}

/**
 * Part of a statement (a CTE body): saves the state a dialog step left, sealed, with the time of the step. A
 * conversation the step closed is closed; a staff hand-back (`hold: 'release'`) gives it back to the bot. `onlyIf`: a
 * condition the state is saved under (the runner's fence: the resident's message was still waiting for its turn).
 */
export function saveStepSql(p: SqlParams, s: { conversationId: string; now: Date; state: DialogState; cipher: PersonalDataCipher; hold: 'keep' | 'release'; onlyIf?: string }): string {
  const closed = p.add(s.state.flow === 'closed');
  const status = s.hold === 'release' ? `'bot'::"ConversationStatus"` : 'status';
  return `UPDATE "Conversation"
          SET state = ${p.add(JSON.stringify(sealDialogState(s.state, s.cipher)))}::jsonb, "lastMessageAt" = ${p.add(iso(s.now))}::timestamp,
              status = CASE WHEN ${closed}::boolean THEN 'closed'::"ConversationStatus" ELSE ${status} END${s.hold === 'release' ? `, "heldById" = NULL` : ''}
        WHERE id = ${p.add(s.conversationId)}::uuid${s.onlyIf ? ` AND ${s.onlyIf}` : ''} RETURNING id`;
}

// ───────────────────────── staff changes ─────────────────────────

type StaffChange = { status?: 'bot' | 'staff' | 'closed'; heldById?: string | null };

/**
 * Saves a state a staff member changed (taken over, closed, fields edited), sealed, with any status change that
 * goes with it. Called holding the conversation's lock.
 */
export async function saveStaffState(deps: { db: Db; cipher: PersonalDataCipher }, id: string, state: DialogState, change: StaffChange = {}): Promise<void> {
  await deps.db.conversation.update({ where: { id }, data: { ...change, state: sealDialogState(state, deps.cipher) } });
}

/** Takes the conversation for a duty officer, only while nobody holds it and it is open: false when someone was first. */
export async function claimConversation(db: Db, id: string, staffId: string): Promise<boolean> {
  const { count } = await db.conversation.updateMany({
    where: { id, heldById: null, status: { not: 'closed' } },
    data: { status: 'staff', heldById: staffId },
  });
  return count > 0;
}

/** Gives the conversation back to the bot, its state untouched (nothing to resume, or no way to answer the resident). */
export async function returnToBot(db: Db, id: string): Promise<void> {
  await db.conversation.update({ where: { id }, data: { status: 'bot', heldById: null } });
}

/** Ends a conversation that has no dialog state to close. */
export async function closeWithoutState(db: Db, id: string): Promise<void> {
  await db.conversation.update({ where: { id }, data: { status: 'closed', heldById: null } });
}

/** A staff member wrote to the resident: the conversation was active now. */
export async function touchConversation(db: Db, id: string, now: Date): Promise<void> {
  await db.conversation.update({ where: { id }, data: { lastMessageAt: now } });
}
