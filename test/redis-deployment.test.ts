import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { createRedis, redisTarget } from '../src/redis.js';

/** The Redis a deployment runs on: one server, a primary behind Sentinel, key prefixes ready for a Cluster's hash slots. */
describe('Redis for a deployment', () => {
  it('reads a Sentinel URL: the Sentinels, the primary they watch, its database and password', () => {
    expect(redisTarget('redis+sentinel://:s3cr%40t@10.0.0.1:26379,10.0.0.2:26380,10.0.0.3/hotline-primary/2')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '10.0.0.3', port: 26379 },
      ],
      name: 'hotline-primary',
      db: 2,
      password: 's3cr@t',
      host: '10.0.0.1',
      port: 26379,
    });
    expect(redisTarget('redis+sentinel://sentinel.local:26379/mymaster')).toMatchObject({ kind: 'sentinel', name: 'mymaster', db: 0, host: 'sentinel.local' });
    expect(redisTarget('redis://127.0.0.1:6380/3')).toMatchObject({ kind: 'url', host: '127.0.0.1', port: 6380 });
  });

  it('accepts a Sentinel URL and a prefix with one hash tag; refuses other braces', () => {
    const c = parseConfig({ REDIS_URL: 'redis+sentinel://10.0.0.1:26379,10.0.0.2:26379/hotline', REDIS_PREFIX: '{hotline}' });
    expect(c.redis).toEqual({ url: 'redis+sentinel://10.0.0.1:26379,10.0.0.2:26379/hotline', prefix: '{hotline}' });
    expect(parseConfig({ REDIS_PREFIX: 'county:{lanshan}' }).redis.prefix).toBe('county:{lanshan}');
    for (const prefix of ['{a}{b}', 'a}', '{', 'a b']) expect(() => parseConfig({ REDIS_PREFIX: prefix }), prefix).toThrow(ConfigError);
    expect(() => parseConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(ConfigError);
  });

  it('BullMQ queues under a hash-tagged prefix keep every key of the deployment in one Cluster slot', async () => {
    const prefix = `{t_${randomBytes(5).toString('hex')}}`;
    const connection = createRedis('redis://127.0.0.1:6379', { forBullmq: true });
    const queue = new Queue('timers', { connection, prefix });
    try {
      await queue.add('timer.fire', { n: 1 }, { jobId: 'a.reminder', delay: 60_000 });
      expect(await (await queue.getJob('a.reminder'))?.getState()).toBe('delayed');
      const keys = await connection.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      // Redis Cluster hashes only what is inside the first {…}: every key carries the same tag, so one slot.
      expect(keys.every((k) => k.startsWith(`${prefix}:timers:`))).toBe(true);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
