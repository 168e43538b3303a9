import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db/client.js';
import type { JobQueues } from './jobs/queues.js';
import { CLOCK_KINDS, countOpenClocks, type OpenClockCounts } from './referrals/clock-states.js';

/**
 * Prometheus metrics on a registry of the app's own (never prom-client's global one, so two apps in one process,
 * as in tests, do not share or clash). Request timings are measured in this process; everything else is counted
 * from PostgreSQL and Redis at scrape time, so every process reports the same, whole-deployment figures.
 */
export type Metrics = { registry: Registry; webhookSeconds: Histogram<'route' | 'status'> };

export function createMetrics(deps: { db: Db; now: () => Date }, queues: JobQueues): Metrics {
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
  new Counter({
    name: 'hotline_dialog_turns_total',
    help: 'Dialog turns run: inbound messages the bot has processed',
    registers: [registry],
    async collect() {
      const n = await deps.db.message.count({ where: { direction: 'inbound', status: 'processed' } });
      this.reset();
      this.inc(n);
    },
  });
  new Gauge({
    name: 'hotline_cases',
    help: 'Cases by assistance category (a case with several categories counts in each)',
    labelNames: ['category'] as const,
    registers: [registry],
    async collect() {
      const rows = await deps.db.$queryRaw<{ category: string; n: bigint }[]>`
        SELECT unnest(categories) AS category, count(*) AS n FROM "Case" GROUP BY 1`;
      this.reset();
      for (const r of rows) this.set({ category: r.category }, Number(r.n));
    },
  });
  new Gauge({
    name: 'hotline_referrals',
    help: 'Referrals (转办件) by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await deps.db.referral.groupBy({ by: ['status'], _count: { _all: true } });
      this.reset();
      for (const r of rows) this.set({ status: r.status }, r._count._all);
    },
  });
  // One read of the clocks per scrape: the registry collects every metric at once, so the two gauges below share
  // the read in flight.
  let inflight: Promise<OpenClockCounts> | undefined;
  const clockCounts = () => (inflight ??= countOpenClocks(deps.db, deps.now()).finally(() => (inflight = undefined)));
  new Gauge({
    name: 'hotline_referrals_overdue',
    help: 'Referrals with a deadline of any kind past and still owed (sign-for, transfer, aid first, approval, paperwork, follow-up)',
    registers: [registry],
    async collect() {
      this.set((await clockCounts()).overdueReferrals);
    },
  });
  new Gauge({
    name: 'hotline_deadlines',
    help: 'Deadlines of referrals in hand by kind (sign, transfer, aid_first, approval, paperwork, follow_up) and state: still owed (on_time, due_soon, overdue) or done late (done_late)',
    labelNames: ['kind', 'state'] as const,
    registers: [registry],
    async collect() {
      const { byKind } = await clockCounts();
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

/** Times every webhook (the channel routes) and serves the registry at /metrics. */
/**
 * Times every webhook (the channel routes) and serves the registry at /metrics, behind `guard`. A scrape reads
 * PostgreSQL and Redis (counts by status, open clocks, queue depths): one read serves every scrape within `cacheMs`,
 * and scrapes arriving during a read share it, so polling cannot load the database the webhooks use.
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
  app.get('/metrics', { schema: { hide: true }, onRequest: opts.guard }, async (_req, reply) => {
    const body = cached && clock() - cached.at < opts.cacheMs ? cached.body : await read();
    return reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });
}
