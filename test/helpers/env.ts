import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildDeps, type Deps } from '../../src/composition.js';
import { parseConfig, type Config } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { createLogger } from '../../src/logging.js';
import { createTestDatabase } from './pg.js';

export type TestEnv = {
  config: Config;
  deps: Deps;
  app: FastifyInstance;
  /** Every log line the service wrote during the test, for assertions (e.g. no personal data). */
  logs: string[];
  databaseUrl: string;
  close(): Promise<void>;
};

/**
 * A whole hotline for one test file: its own database (cloned from the
 * migrated template), its own Redis key prefix, real PostgreSQL and Redis.
 */
export async function createTestEnv(env: Record<string, string> = {}, opts: { workers?: boolean; now?: () => Date } = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_PREFIX: prefix,
    PUBLIC_BASE_URL: 'https://hotline.example.org',
    DATA_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const deps = await buildDeps(config, { logger: createLogger(config.logLevel, sink), now: opts.now });
  if (opts.workers) {
    await deps.jobs.startWorkers();
    await deps.silence.startWorker();
  }
  const app = await buildApp(deps);
  return {
    config,
    deps,
    app,
    logs,
    databaseUrl: database.url,
    async close() {
      await app.close();
      // Leave nothing behind in the shared Redis: every key of this file carries its prefix.
      for (let cursor = '0'; ; ) {
        const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length) await deps.redis.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
      await deps.close();
      await database.drop();
    },
  };
}
