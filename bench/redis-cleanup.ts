import { Redis } from 'ioredis';

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
