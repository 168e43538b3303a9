import { Redis } from 'ioredis';

/**
 * One factory for Redis connections. BullMQ needs `maxRetriesPerRequest: null`
 * on its connections; a short connect timeout makes an unreachable Redis show
 * up within seconds instead of hanging start-up.
 */
export function createRedis(url: string, opts: { forBullmq?: boolean; lazy?: boolean; autoPipelining?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: opts.forBullmq ? null : 2,
    connectTimeout: 3000,
    enableOfflineQueue: opts.forBullmq ?? false,
    lazyConnect: opts.lazy ?? false,
    // Commands issued in the same tick by concurrent requests go out in one write: fewer system calls under load.
    enableAutoPipelining: opts.autoPipelining ?? false,
  });
}
