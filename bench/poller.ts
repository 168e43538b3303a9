/**
 * The pollers of the polling part of the bench (bench/run.ts), in a process of their own: their answers (a list of up
 * to 1000 requests, ten times a second) are read on this event loop, not on the load generator's, whose lateness
 * would count as the SMS webhook's latency. Polls /metrics (as Prometheus does, with the bench's METRICS_TOKEN) and the
 * Open311 list, each `perSecond` times a second, on a timer whatever the answers (at most 10 of each in flight; a
 * tick finding 10 waiting is skipped and counted).
 *
 * IPC: sends {type:'ready'} once loaded (started once per bench, so its start-up is not in any run); {type:'start',
 * url, targets, perSecond} starts polling; {type:'stop'} stops it, waits for the polls in flight and answers
 * {type:'stats', requests, statuses, skipped, latencies (sorted, ms), cpu (this process's, during the polling)};
 * {type:'exit'} ends the process.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BENCH_METRICS_TOKEN } from './load.js';

/** What an Open311 client asks for, in turn: the default list, open requests, one category. */
const OPEN311_QUERIES = ['', '?status=open', '?service_code=minimum_living'];

type Start = { type: 'start'; url: string; targets: string[]; perSecond: number };
let stats = { requests: 0, statuses: {} as Record<string, number>, skipped: 0, latencies: [] as number[] };
const pending = new Set<Promise<void>>();
const inFlight = { metrics: 0, open311: 0 };
let timer: NodeJS.Timeout | undefined;
let cpuAtStart = process.cpuUsage();

function start({ url, targets, perSecond }: Start) {
  stats = { requests: 0, statuses: {}, skipped: 0, latencies: [] };
  cpuAtStart = process.cpuUsage();
  const target = new URL(url);
  const get = (kind: keyof typeof inFlight, path: string, headers: Record<string, string>) => {
    if (inFlight[kind] >= 10) {
      stats.skipped += 1;
      return;
    }
    inFlight[kind] += 1;
    const from = performance.now();
    const p = new Promise<void>((resolve) => {
      const req = request({ host: target.hostname, port: target.port, path, headers, timeout: 20_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          stats.latencies.push(performance.now() - from);
          stats.statuses[res.statusCode ?? 0] = (stats.statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        stats.statuses.error = (stats.statuses.error ?? 0) + 1;
        resolve();
      });
      req.end();
    }).finally(() => {
      inFlight[kind] -= 1;
      pending.delete(p);
    });
    pending.add(p);
    stats.requests += 1;
  };
  let tick = 0;
  timer = setInterval(() => {
    tick += 1;
    if (targets.includes('metrics')) get('metrics', '/metrics', { authorization: `Bearer ${BENCH_METRICS_TOKEN}` });
    if (targets.includes('open311')) get('open311', `/open311/v2/requests.json${OPEN311_QUERIES[tick % OPEN311_QUERIES.length]}`, {});
    // A control: as many requests, to an endpoint that reads nothing (what any 20 requests a second cost here).
    if (targets.includes('healthz')) {
      get('metrics', '/healthz', {});
      get('open311', '/healthz', {});
    }
  }, 1000 / perSecond);
}

process.on('message', async (m: Start | { type: 'stop' | 'exit' }) => {
  if (m.type === 'start') start(m);
  if (m.type === 'stop') {
    clearInterval(timer);
    await Promise.all([...pending]);
    stats.latencies.sort((a, b) => a - b);
    process.send?.({ type: 'stats', ...stats, cpu: process.cpuUsage(cpuAtStart) });
  }
  if (m.type === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
