/**
 * The hotline under load, in a process of its own (started by bench/run.ts over IPC; the load comes from the
 * parent). bench/run.ts starts one or more of these on one database and one Redis prefix, as a county runs several
 * machines behind a balancer: it creates the throwaway database (BENCH_DATABASE_URL) and names the prefix
 * (BENCH_REDIS_PREFIX) and the DATA_KEY all of them share, runs the Twilio and WeCom REST fakes in its own process
 * (BENCH_TWILIO_API, BENCH_WECOM_API: a provider's work is not the hotline's CPU), and removes the database and
 * keys afterwards. Beside the app, on the same port and event loop, POST /bench/baseline does the irreducible I/O
 * of a turn and nothing else: parse the form, one PostgreSQL insert, one Redis round trip.
 *
 * IPC: sends {type:'ready', url}; answers {type:'stats'} with CPU time, RSS, row counts and the event loop's delay
 * since the last 'stats' (p99 and max, ms), {type:'order'} with
 * per-sender order (see ORDER below), {type:'heap'} with the heap in use after a collection,
 * {type:'profile', action:'start'} / {type:'profile', action:'stop', file} with {type:'profile'} once a CPU profile of
 * the process between the two is written to `file` (bench/profile-paths.ts); exits on {type:'stop'}.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { buildDeps } from '../src/composition.js';
import { parseConfig } from '../src/config.js';
import { buildApp } from '../src/server/app.js';
import { requestLogOptions } from '../src/http/request-log.js';
import { BENCH_CREDENTIALS as C, BENCH_METRICS_TOKEN, PUBLIC_BASE_URL } from './load.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: bench/http-server.ts is started by bench/run.ts`);
  return value;
};

/**
 * Per-sender order: each resident's turns must be processed in the order they were sent. A sender's messages carry
 * provider ids that sort in sending order (bench/load.ts numbers them as it makes them); a turn's processing is
 * stamped by its first reply row, written by the statement that finishes the turn (createdAt is the database's
 * clock, shared by every process). A sender is out of order when a later message finished before an earlier one.
 */
const ORDER = `
  WITH turns AS (
    SELECT m.channel::text AS channel, m.sender, m."providerId", r."createdAt" AS done
      FROM "Message" m JOIN "Message" r ON r."idempotencyKey" = 'reply:' || m.id || ':0'
     WHERE m.direction = 'inbound' AND m.status = 'processed' AND m."providerId" NOT LIKE 'baseline-%'),
  stepped AS (
    SELECT channel, sender, done < max(done) OVER (PARTITION BY channel, sender ORDER BY "providerId" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS late
      FROM turns)
  SELECT channel, count(DISTINCT sender)::int AS senders, count(DISTINCT sender) FILTER (WHERE late)::int AS "outOfOrder"
    FROM stepped GROUP BY channel ORDER BY channel`;

const send = (msg: unknown) => process.send?.(msg);

async function main() {
  const prefix = env('BENCH_REDIS_PREFIX');
  const config = parseConfig({
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    DATABASE_URL: env('BENCH_DATABASE_URL'),
    // A logical database no test flushes (test/jobs uses 13, bench/timers.ts 14); keys are removed by prefix.
    REDIS_URL: 'redis://127.0.0.1:6379/12',
    REDIS_PREFIX: prefix,
    PUBLIC_BASE_URL,
    SPOOL_DIR: await mkdtemp(join(tmpdir(), 'bench-spool-')),
    DATA_KEY: env('BENCH_DATA_KEY'),
    ...C,
    TWILIO_API_BASE_URL: env('BENCH_TWILIO_API'),
    WECOM_API_BASE_URL: env('BENCH_WECOM_API'),
    // Every bench request comes from 127.0.0.1; WeCom's per-IP allowance would otherwise cap the WeCom run.
    RATE_LIMIT_WECOM_PER_IP: '100000000',
    // The polling part scrapes /metrics as Prometheus does, with a bearer token.
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
  });
  const deps = await buildDeps(config);
  const app = await buildApp(deps);
  const id = `${process.pid}_${randomBytes(3).toString('hex')}`;

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

  // How long the event loop was held up (by one piece of work running without a break) since the last 'stats'.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();

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
    await deps.close();
    process.exit(0);
  };

  let profiler: Session | undefined;

  process.on('message', async (msg: { type: string; action?: 'start' | 'stop'; file?: string }) => {
    // A CPU profile of this process between 'start' and 'stop' (what a part of the load costs, without start-up).
    if (msg.type === 'profile' && msg.action === 'start') {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      send({ type: 'profile' });
    }
    if (msg.type === 'profile' && msg.action === 'stop' && profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(msg.file!, JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
      send({ type: 'profile' });
    }
    if (msg.type === 'stats') {
      await settle();
      send({ type: 'stats', cpu: process.cpuUsage(), rss: process.memoryUsage().rss, counts: await counts(), loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } });
      loop.reset();
    }
    if (msg.type === 'order') send({ type: 'order', order: (await deps.sql.query(ORDER)).rows });
    // The memory still in use after a full collection (bench/exports.ts starts this process with --expose-gc).
    if (msg.type === 'heap') {
      globalThis.gc?.();
      send({ type: 'heap', heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
    }
    if (msg.type === 'stop') await stop();
  });
  // The runner went away or the run was interrupted: stop rather than linger (the runner removes the database).
  process.on('disconnect', () => void stop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
