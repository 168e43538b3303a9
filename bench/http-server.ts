/**
 * The hotline under load, in a process of its own (started by bench/run.ts over IPC; the load comes from the
 * parent). Real PostgreSQL (a throwaway database) and Redis (logical database 12, a prefix of its own); Twilio
 * and WeCom REST are local fakes. Beside the app, on the same port and event loop, POST /bench/baseline does the
 * irreducible I/O of a turn and nothing else: parse the form, one PostgreSQL insert, one Redis round trip.
 *
 * IPC: sends {type:'ready', url}; answers {type:'stats'} with CPU time, RSS and row counts; exits on {type:'stop'}.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { buildDeps } from '../src/composition.js';
import { parseConfig } from '../src/config.js';
import { applyMigrations } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import { requestLogOptions } from '../src/http/request-log.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { startFakeTwilio } from '../test/fakes/twilio-api.js';
import { startFakeWecom } from '../test/fakes/wecom-api.js';
import { BENCH_CREDENTIALS as C, PUBLIC_BASE_URL } from './load.js';

const PG_BASE = process.env.TEST_PG_BASE ?? 'postgresql://postgres@127.0.0.1:5432';
const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `hotline_bench_http_${id}`;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const send = (msg: unknown) => process.send?.(msg);

async function main() {
  const twilio = await startFakeTwilio({ accountSid: C.TWILIO_ACCOUNT_SID, authToken: C.TWILIO_AUTH_TOKEN });
  const wecom = await startFakeWecom({ corpId: C.WECOM_CORP_ID, secret: C.WECOM_SECRET });
  await applyMigrations({ databaseUrl: `${PG_BASE}/${dbName}`, migrationsDir: MIGRATIONS_DIR });
  const config = parseConfig({
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    DATABASE_URL: `${PG_BASE}/${dbName}`,
    // A logical database no test flushes (test/jobs uses 13, bench/timers.ts 14); keys are removed by prefix.
    REDIS_URL: 'redis://127.0.0.1:6379/12',
    REDIS_PREFIX: `bench_http_${id}`,
    PUBLIC_BASE_URL,
    SPOOL_DIR: await mkdtemp(join(tmpdir(), 'bench-spool-')),
    DATA_KEY: randomBytes(32).toString('base64'),
    ...C,
    TWILIO_API_BASE_URL: twilio.url,
    WECOM_API_BASE_URL: wecom.url,
    // Every bench request comes from 127.0.0.1; WeCom's per-IP allowance would otherwise cap the WeCom run.
    RATE_LIMIT_WECOM_PER_IP: '100000000',
  });
  const deps = await buildDeps(config);
  const app = await buildApp(deps);

  // Same framework, logger and form parsing as the webhooks, so the ratio measures what a turn adds on top.
  const baseline = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: 256 * 1024, trustProxy: true, ...requestLogOptions() });
  await baseline.register(formbody);
  let seq = 0;
  baseline.post('/bench/baseline', async (req, reply) => {
    const p = req.body as Record<string, string>;
    const row = await deps.db.message.create({
      data: { channel: 'sms', direction: 'inbound', providerId: `baseline-${id}-${++seq}`, sender: p.From ?? '', recipient: p.To ?? '', text: p.Body ?? '', status: 'processed', receivedAt: new Date() },
      select: { id: true },
    });
    await deps.redis.set(`${config.redis.prefix}:baseline:${p.From}`, row.id, 'EX', 60);
    return reply.type('text/xml; charset=utf-8').send('<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>');
  });
  await baseline.ready();

  const server = createServer((req, res) => (req.url === '/bench/baseline' ? baseline.routing(req, res) : app.routing(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const counts = async () => ({
    inbound: await deps.db.message.count({ where: { direction: 'inbound', NOT: { providerId: { startsWith: 'baseline-' } } } }),
    processed: await deps.db.message.count({ where: { direction: 'inbound', status: 'processed', NOT: { providerId: { startsWith: 'baseline-' } } } }),
    cases: await deps.db.case.count(),
    baseline: await deps.db.message.count({ where: { providerId: { startsWith: 'baseline-' } } }),
  });

  /** Turns still running when a run ends (their client has gone) finish first: wait until the rows stop changing. */
  const settle = async () => {
    await deps.background.idle();
    for (let i = 0, last = ''; i < 30; i++) {
      const now = JSON.stringify(await counts());
      if (now === last) return;
      last = now;
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await new Promise((r) => server.close(r));
    server.closeAllConnections();
    await settle();
    await app.close();
    await baseline.close();
    await deps.background.idle();
    for (let cursor = '0'; ; ) {
      const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${config.redis.prefix}:*`, 'COUNT', 10_000);
      if (keys.length > 0) await deps.redis.unlink(...keys);
      if ((cursor = next) === '0') break;
    }
    await deps.close();
    await twilio.close();
    await wecom.close();
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    process.exit(0);
  };

  process.on('message', async (msg: { type: string }) => {
    if (msg.type === 'stats') {
      await settle();
      send({ type: 'stats', cpu: process.cpuUsage(), rss: process.memoryUsage().rss, counts: await counts() });
    }
    if (msg.type === 'stop') await stop();
  });
  // The runner went away or the run was interrupted: clean up rather than leave a database and keys behind.
  process.on('disconnect', () => void stop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

main().catch(async (err) => {
  console.error(err);
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  process.exit(1);
});
