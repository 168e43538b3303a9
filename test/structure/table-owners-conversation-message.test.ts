import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writesIn, writesOutside, writesTo } from './table-writers.js';

/**
 * One owner per table: Conversation rows are written only by the conversation store (src/intake/conversation-store.ts:
 * started, dialog state saved, staff take-over, hand-back and close), Message rows only by the messages outbox
 * (src/messages/message-outbox.ts: inbound stored, outbound staged, every status change). Everyone else reads, and
 * calls the owner to write. A plain grep over src/: Prisma writes (`db.conversation.update…`, `tx.message.createMany…`,
 * nested `messages: { create … }` through a relation) and plain SQL (`INSERT INTO "Message"`, `UPDATE "Conversation"`…).
 */

const ROOT = join(import.meta.dirname, '..', '..');
const schema = readFileSync(join(ROOT, 'prisma', 'schema.prisma'), 'utf8');

/** The table a Prisma model is stored in: its `@@map`, else the model's own name. */
function tableOf(model: string): string {
  const body = new RegExp(`^model ${model} \\{([\\s\\S]*?)^\\}`, 'm').exec(schema)?.[1];
  if (body === undefined) throw new Error(`model ${model} not found in prisma/schema.prisma`);
  return /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

/**
 * Rows written through a relation of another model, which the call-site grep cannot see: `{ conversation: { create:
 * … } }`, `{ messages: { createMany: … } }` (a `connect` only sets the other row's key and is not a write).
 */
function nestedWrites(text: string, relation: string): number {
  return [...text.matchAll(new RegExp(`\\b${relation}s?\\s*:\\s*\\{\\s*(?:create|createMany|connectOrCreate|update|updateMany|upsert|delete|deleteMany)\\s*:`, 'g'))].length;
}

function nestedWritesOutside(owner: string, relation: string): string[] {
  return sourceFiles(join(ROOT, 'src'))
    .map((path) => relative(ROOT, path).split('\\').join('/'))
    .filter((file) => file !== owner && nestedWrites(readFileSync(join(ROOT, file), 'utf8'), relation) > 0);
}

const OWNERS = [
  { model: 'Conversation', client: 'conversation', owner: 'src/intake/conversation-store.ts' },
  { model: 'Message', client: 'message', owner: 'src/messages/message-outbox.ts' },
];

describe('table owners: Conversation and Message', () => {
  for (const { model, client, owner } of OWNERS) {
    it(`only ${owner} writes ${model} rows`, () => {
      const writes = writesTo(client, tableOf(model));
      expect(writesOutside(owner, writes)).toEqual([]);
      // The search finds the owner's own writes, so a pattern gone stale cannot pass unnoticed.
      expect(writes.length).toBeGreaterThan(0);
      expect(nestedWritesOutside(owner, client)).toEqual([]);
    });
  }

  it('the tables are named as the schema names them', () => {
    expect(tableOf('Conversation')).toBe('Conversation');
    expect(tableOf('Message')).toBe('Message');
  });

  it('finds a write to either table however it is spelled, and not a read', () => {
    const writes: [string, string, string][] = [
      ['conversation', 'Conversation', 'await deps.db.conversation.updateMany({ where: { id } })'],
      ['conversation', 'Conversation', 'await tx.conversation\n  .upsert({ where, create, update })'],
      ['conversation', 'Conversation', 'sql.query(`UPDATE "Conversation" SET state = $1::jsonb`)'],
      ['conversation', 'Conversation', 'sql.query(`INSERT INTO "Conversation" (id) VALUES ($1)`)'],
      ['message', 'Message', 'await tx.message.createMany({ data, skipDuplicates: true })'],
      ['message', 'Message', "await db['message'].create({ data })"],
      ['message', 'Message', '`WITH ins AS (INSERT INTO "Message" (id) VALUES ($1) RETURNING id)`'],
      ['message', 'Message', 'client.query(`update "Message" set status = $2 where id = $1`)'],
    ];
    for (const [client, table, text] of writes) expect(writesIn(text, client, table), text).toHaveLength(1);
    const reads: [string, string, string][] = [
      ['conversation', 'Conversation', 'await db.conversation.findUnique({ where: { id }, include: { identity: true } })'],
      ['message', 'Message', 'SELECT id FROM "Message" WHERE "idempotencyKey" = ANY($1::text[])'],
      ['message', 'Message', 'UPDATE "Referral" SET status = $1::"MessageStatus"'],
    ];
    for (const [client, table, text] of reads) expect(writesIn(text, client, table), text).toEqual([]);
    expect(nestedWrites('data: { conversation: { create: { channel, identityId } } }', 'conversation')).toBe(1);
    expect(nestedWrites('data: { messages: { createMany: { data: [] } } }', 'message')).toBe(1);
    expect(nestedWrites('data: { conversation: { connect: { id } } }', 'conversation')).toBe(0);
  });
});
