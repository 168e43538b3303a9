import { Redis } from 'ioredis';
import pg from 'pg';

/** The PostgreSQL server the bench scripts make their throwaway databases on. */
export const PG_BASE = process.env.TEST_PG_BASE ?? 'postgresql://postgres@127.0.0.1:5432';

/** One statement on the server's maintenance database (CREATE or DROP a bench run's database). */
export async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Removes a bench run's keys (its own prefix, in the bench's Redis database 12), so runs leave nothing behind. */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379/12');
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 10_000);
    if (keys.length > 0) await redis.unlink(...keys);
    if ((cursor = next) === '0') break;
  }
  await redis.quit();
}
