import { Redis, type RedisOptions } from 'ioredis';

/**
 * Where Redis is, from REDIS_URL: `redis://` or `rediss://` for one server, or
 * `redis+sentinel://host:port[,host:port…]/masterName[/db]` (credentials before the hosts, as in any Redis URL)
 * for a primary watched by Redis Sentinel:
 * ioredis asks the Sentinels which server is the primary, and asks again after a failover.
 */
export type RedisTarget =
  | { kind: 'url'; url: string; host: string; port: number }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; name: string; db: number; password?: string; host: string; port: number };

const SENTINEL = /^redis\+sentinel:\/\/(?:(?:[^:@/]*):([^@/]*)@)?([^/]+)\/([^/]+)(?:\/(\d+))?\/?$/;

export function redisTarget(url: string): RedisTarget {
  const m = SENTINEL.exec(url);
  if (!m) {
    const u = new URL(url);
    return { kind: 'url', url, host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) };
  }
  const sentinels = m[2]!.split(',').map((hp) => {
    const [host, port] = hp.split(':');
    return { host: host || '127.0.0.1', port: Number(port || 26379) };
  });
  const password = m[1] ? decodeURIComponent(m[1]) : undefined;
  return { kind: 'sentinel', sentinels, name: decodeURIComponent(m[3]!), db: Number(m[4] ?? 0), ...(password ? { password } : {}), host: sentinels[0]!.host, port: sentinels[0]!.port };
}

/**
 * One factory for Redis connections. BullMQ needs `maxRetriesPerRequest: null`
 * on its connections; a short connect timeout makes an unreachable Redis show
 * up within seconds instead of hanging start-up.
 */
export function createRedis(url: string, opts: { forBullmq?: boolean; lazy?: boolean; autoPipelining?: boolean } = {}): Redis {
  const common: RedisOptions = {
    maxRetriesPerRequest: opts.forBullmq ? null : 2,
    connectTimeout: 3000,
    enableOfflineQueue: opts.forBullmq ?? false,
    lazyConnect: opts.lazy ?? false,
    // Commands issued in the same tick by concurrent requests go out in one write: fewer system calls under load.
    enableAutoPipelining: opts.autoPipelining ?? false,
  };
  const target = redisTarget(url);
  if (target.kind === 'url') return new Redis(url, common);
  const { sentinels, name, db, password } = target;
  return new Redis({ ...common, sentinels, name, db, ...(password ? { password } : {}) });
}
