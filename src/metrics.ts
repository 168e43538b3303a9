import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db, Sql } from './db/client.js';
import type { JobQueues } from './jobs/queues.js';
import { CLOCK_KINDS, countOpenClocks, type OpenClockCounts } from './referrals/clock-states.js';

/**
 * Prometheus metrics on a registry of the app's own (never prom-client's global one, so two apps in one process,
 * as in tests, do not share or clash). Request timings are measured in this process; everything else is counted
 * from PostgreSQL and Redis at scrape time, so every process reports the same, whole-deployment figures.
 */
export type Metrics = { registry: Registry; webhookSeconds: Histogram<'route' | 'status'> };

/** What a scrape counts in PostgreSQL, read once for every gauge of the scrape. */
type CountyCounts = { turns: number; cases: { category: string; n: number }[]; referrals: { status: string; n: number }[]; clocks: OpenClockCounts };

/**
 * The county's counts, one statement after another in one read-only transaction (one snapshot, so the figures agree
 * with each other) on one connection: a scrape holds at most one connection of the pool residents' turns run on (the
 * gauges collected at once used to take four), and no parallel workers, so it keeps to one core of PostgreSQL while
 * the turns' statements wait for none (a parallel count took both cores of a small server for a moment each scrape).
 * The clocks are counted in SQL too (countOpenClocks): only a few rows come back to this process.
 */
async function readCountyCounts(deps: { sql: Sql; now: () => Date }): Promise<CountyCounts> {
  const client = await deps.sql.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const turns = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE direction = 'inbound' AND status = 'processed'`);
    const cases = await client.query<{ category: string; n: number }>(`SELECT unnest(categories)::text AS category, count(*)::int AS n FROM "Case" GROUP BY 1`);
    const referrals = await client.query<{ status: string; n: number }>(`SELECT status::text AS status, count(*)::int AS n FROM "Referral" GROUP BY 1`);
    const clocks = await countOpenClocks(client, deps.now());
    await client.query('COMMIT');
    return { turns: turns.rows[0]?.n ?? 0, cases: cases.rows, referrals: referrals.rows, clocks };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export function createMetrics(deps: { db: Db; sql: Sql; now: () => Date }, queues: JobQueues): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hotline_' });
  const webhookSeconds = new Histogram({
    name: 'hotline_webhook_duration_seconds',
    help: 'Time to answer a Twilio or WeCom webhook, by route and HTTP status',
    labelNames: ['route', 'status'] as const,
    // WeCom gives up after 5 s and Twilio after 15 s: buckets around those limits.
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15],
    registers: [registry],
  });
  // One read of the counts per scrape: the registry collects every metric at once, so the gauges share the read in
  // flight.
  let inflight: Promise<CountyCounts> | undefined;
  const counts = () => (inflight ??= readCountyCounts(deps).finally(() => (inflight = undefined)));
  new Counter({
    name: 'hotline_dialog_turns_total',
    help: 'Dialog turns run: inbound messages the bot has processed',
    registers: [registry],
    async collect() {
      const { turns } = await counts();
      this.reset();
      this.inc(turns);
    },
  });
  new Gauge({
    name: 'hotline_cases',
    help: 'Cases by assistance category (a case with several categories counts in each)',
    labelNames: ['category'] as const,
    registers: [registry],
    async collect() {
      const { cases } = await counts();
      this.reset();
      for (const r of cases) this.set({ category: r.category }, r.n);
    },
  });
  new Gauge({
    name: 'hotline_referrals',
    help: 'Referrals (转办件) by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const { referrals } = await counts();
      this.reset();
      for (const r of referrals) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'hotline_referrals_overdue',
    help: 'Referrals with a deadline of any kind past and still owed (sign-for, transfer, aid first, approval, paperwork, follow-up)',
    registers: [registry],
    async collect() {
      this.set((await counts()).clocks.overdueReferrals);
    },
  });
  new Gauge({
    name: 'hotline_deadlines',
    help: 'Deadlines of referrals in hand by kind (sign, transfer, aid_first, approval, paperwork, follow_up) and state: still owed (on_time, due_soon, overdue) or done late (done_late)',
    labelNames: ['kind', 'state'] as const,
    registers: [registry],
    async collect() {
      const { byKind } = (await counts()).clocks;
      this.reset();
      for (const kind of CLOCK_KINDS) for (const [state, n] of Object.entries(byKind[kind])) this.set({ kind, state }, n);
    },
  });
  new Gauge({
    name: 'hotline_queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, q] of Object.entries(queues)) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
  return { registry, webhookSeconds };
}

/**
 * Times every webhook (the channel routes) and serves the registry at /metrics, behind `guard`. A scrape reads
 * PostgreSQL and Redis (counts by status, open clocks, queue depths): one read serves every scrape within `cacheMs`,
 * and scrapes arriving during a read share it. Once a read is older than that, a scrape is still answered with it at
 * once and the next read starts behind it (only the very first scrape waits for one), so however often /metrics is
 * polled, the database is read at most once per `cacheMs` plus a read, one statement at a time, and no scrape waits on
 * it: polling cannot load the database the webhooks use.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, opts: { guard: onRequestHookHandler; cacheMs: number; now?: () => number }): void {
  const clock = opts.now ?? Date.now;
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route?.startsWith('/channels/')) return;
    metrics.webhookSeconds.observe({ route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  let cached: { at: number; body: string } | undefined;
  let reading: Promise<string> | undefined;
  const read = () =>
    (reading ??= metrics.registry
      .metrics()
      .then((body) => {
        cached = { at: clock(), body };
        return body;
      })
      .finally(() => (reading = undefined)));
  app.get('/metrics', { schema: { hide: true }, onRequest: opts.guard }, async (req, reply) => {
    let body: string;
    // METRICS_CACHE_SECONDS=0: no cache, every scrape reads.
    if (!cached || opts.cacheMs <= 0) body = await read();
    else {
      body = cached.body;
      if (clock() - cached.at >= opts.cacheMs) void read().catch((err: unknown) => req.log.warn({ err }, 'metrics read failed; the last one is served'));
    }
    return reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });
}
