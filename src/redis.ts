import { Redis } from 'ioredis';

/**
 * One factory for Redis connections. BullMQ needs `maxRetriesPerRequest: null`
 * on its connections; a short connect timeout makes an unreachable Redis show
 * up within seconds instead of hanging start-up.
 */
export function createRedis(url: string, opts: { forBullmq?: boolean; lazy?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: opts.forBullmq ? null : 2,
    connectTimeout: 3000,
    enableOfflineQueue: opts.forBullmq ?? false,
    lazyConnect: opts.lazy ?? false,
  });
}
