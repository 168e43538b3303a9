import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

/** Prisma 7 runs without a native engine: queries go through node-postgres via the pg adapter. */
export function createDb(databaseUrl: string, opts: { poolSize?: number } = {}): Db {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const adapter = new PrismaPg(
    { connectionString: url.toString(), max: opts.poolSize ?? 10, connectionTimeoutMillis: 3000 },
    schema ? { schema } : undefined,
  );
  return new PrismaClient({ adapter });
}
