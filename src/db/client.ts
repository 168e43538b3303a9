import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;
/** The connection pool Prisma runs on, shared with the few hot statements written in plain SQL (a resident's turn: src/intake/dialog-runner.ts). */
export type Sql = pg.Pool;

/** A `?schema=` in the URL becomes the connections' search_path, so plain SQL finds the same tables Prisma does. */
export function createPool(databaseUrl: string, opts: { poolSize?: number; onIdleError?: (err: Error) => void } = {}): Sql {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 3000,
    ...(schema ? { options: `-c search_path="${schema.replaceAll('"', '""')}"` } : {}),
  });
  // An idle connection dropped by a PostgreSQL restart is an 'error' event: without a listener it would end the process.
  pool.on('error', opts.onIdleError ?? (() => undefined));
  return pool;
}

/**
 * Prisma 7 runs without a native engine: queries go through node-postgres via the pg adapter. A pool passed in
 * stays open after $disconnect: its owner ends it.
 */
export function createDb(databaseUrl: string, opts: { poolSize?: number; pool?: Sql } = {}): Db {
  const schema = new URL(databaseUrl).searchParams.get('schema') ?? undefined;
  const adapter = new PrismaPg(opts.pool ?? createPool(databaseUrl, opts), schema ? { schema } : undefined);
  return new PrismaClient({ adapter });
}
