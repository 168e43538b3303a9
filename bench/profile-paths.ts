/**
 * What one request of a path costs the server, part by part, with the HTTP bench's own pieces: one server process
 * (bench/http-server.ts) on a throwaway database and Redis prefix, the provider fakes in a process of their own
 * (bench/provider-fakes.ts), and the load of bench/load.ts (the same signed requests, the same open and closed loops
 * as bench/run.ts's scenarios of those names). Prints done/s, p50/p99 and server CPU ms per request of each part, and
 * with --profile DIR writes a CPU profile of the server process over each part's run (start-up and warm-up left out;
 * read them with bench/profile-summary.ts or Chrome DevTools).
 *
 *   npx tsx bench/profile-paths.ts                                  # baseline, SMS turns (saturated), WeCom @ 100/s
 *   npx tsx bench/profile-paths.ts --rounds 3 baseline sms wecom    # the parts in turn, three times over (medians)
 *   npx tsx bench/profile-paths.ts --profile /tmp/prof sms wecom    # also a CPU profile of each part's run
 *
 * Parts: baseline (baseline, saturated), sms (SMS dialog turns, saturated), wecom (WeCom acknowledgement @ 100/s),
 * wecom200 (@ 200/s), voice200 (voice TwiML @ 200/s), sms100 (SMS dialog turns @ 100/s).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { fire, smsDialogs, voiceCalls, wecomMessages, type BenchRequest } from './load.js';
import { PG_BASE, dropRedisPrefix } from './scratch-stores.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LANES = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10) || 10;

type Opts = { rate?: number; connections: number; seconds: number };
const PARTS: Record<string, { name: string; requests: (series: number) => BenchRequest[]; opts: Opts }> = {
  baseline: { name: 'baseline, saturated (32 connections)', requests: (s) => smsDialogs(20_000, LANES, s, { turns: 'dialog', path: '/bench/baseline' }), opts: { connections: 32, seconds: Math.min(8, SECONDS) } },
  sms: { name: 'SMS dialog turns, saturated (32 connections)', requests: (s) => smsDialogs(10_000, LANES, s, { turns: 'dialog' }), opts: { connections: 32, seconds: Math.min(8, SECONDS) } },
  sms100: { name: 'SMS dialog turns @ 100/s', requests: (s) => smsDialogs(100 * SECONDS, LANES, s, { turns: 'dialog' }), opts: { rate: 100, connections: LANES, seconds: SECONDS } },
  wecom: { name: 'WeCom acknowledgement @ 100/s', requests: (s) => wecomMessages(100 * SECONDS, LANES, s), opts: { rate: 100, connections: LANES, seconds: SECONDS } },
  wecom200: { name: 'WeCom acknowledgement @ 200/s', requests: (s) => wecomMessages(200 * SECONDS, LANES, s), opts: { rate: 200, connections: LANES, seconds: SECONDS } },
  voice200: { name: 'voice TwiML @ 200/s', requests: (s) => voiceCalls(200 * SECONDS, LANES, s), opts: { rate: 200, connections: LANES, seconds: SECONDS } },
};

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const profileDir = flag('--profile');
const rounds = Number(flag('--rounds') ?? 1) || 1;
const parts = args.length ? args : ['baseline', 'sms', 'wecom'];
for (const p of parts) if (!PARTS[p]) throw new Error(`unknown part ${p}: ${Object.keys(PARTS).join(', ')}`);
if (profileDir) mkdirSync(profileDir, { recursive: true });

function ask<T>(child: ChildProcess, msg: { type: string } & Record<string, unknown>): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: T & { type: string }) => {
      if (m.type !== msg.type) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send(msg);
  });
}

const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `hotline_bench_prof_${id}`;
const prefix = `bench_prof_${id}`;
await applyMigrations({ databaseUrl: `${PG_BASE}/${dbName}`, migrationsDir: MIGRATIONS_DIR });
const fakes = fork(join(ROOT, 'bench/provider-fakes.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const { twilio, wecom } = await new Promise<{ twilio: string; wecom: string }>((resolve) => fakes.once('message', resolve));
const logFile = join(tmpdir(), `hotline-bench-prof-${process.pid}.log`);
const { openSync } = await import('node:fs');
const server = fork(join(ROOT, 'bench/http-server.ts'), [], {
  env: { ...process.env, BENCH_DATABASE_URL: `${PG_BASE}/${dbName}`, BENCH_REDIS_PREFIX: prefix, BENCH_DATA_KEY: randomBytes(32).toString('base64'), BENCH_TWILIO_API: twilio, BENCH_WECOM_API: wecom },
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', openSync(logFile, 'w'), 'inherit', 'ipc'],
});
const url = await new Promise<string>((resolve) => server.once('message', (m: { url: string }) => resolve(m.url)));
console.error(`server on ${url} (log: ${logFile}), load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);

type Stats = { cpu: NodeJS.CpuUsage };
const cpuMs = (s: Stats) => (s.cpu.user + s.cpu.system) / 1000;
try {
  console.error('warming up…');
  await fire(url, smsDialogs(2000, LANES, 90, { turns: 'dialog' }), { rate: 200, connections: LANES, seconds: 5 });
  await fire(url, smsDialogs(2000, LANES, 91, { turns: 'dialog', path: '/bench/baseline' }), { rate: 400, connections: LANES, seconds: 3 });
  if (parts.some((p) => p.startsWith('wecom'))) await fire(url, wecomMessages(300, LANES, 92), { rate: 100, connections: LANES, seconds: 3 });
  if (parts.includes('voice200')) await fire(url, voiceCalls(300, LANES, 93), { rate: 100, connections: LANES, seconds: 3 });
  const results: Record<string, { perSecond: number; p50: number; p99: number; cpu: number }[]> = {};
  let series = 0;
  for (let round = 0; round < rounds; round++) {
    for (const part of parts) {
      const { name, requests, opts } = PARTS[part]!;
      const list = requests(series++);
      const before = await ask<Stats>(server, { type: 'stats' });
      if (profileDir) await ask(server, { type: 'profile', action: 'start' });
      const r = await fire(url, list, opts);
      const after = await ask<Stats>(server, { type: 'stats' });
      const file = profileDir ? join(profileDir, `${part}-${round + 1}.cpuprofile`) : undefined;
      if (file) await ask(server, { type: 'profile', action: 'stop', file });
      const row = { perSecond: r.perSecond, p50: r.p50, p99: r.p99, cpu: (cpuMs(after) - cpuMs(before)) / Math.max(1, r.requests) };
      (results[part] ??= []).push(row);
      console.log(
        `${name}: ${row.perSecond.toFixed(0)}/s, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, ${row.cpu.toFixed(2)} ms CPU/req, ${JSON.stringify(r.statuses)}${r.errors ? `, ${r.errors} errors` : ''}, load ${loadavg()[0]!.toFixed(2)}${file ? ` → ${file}` : ''}`,
      );
    }
  }
  if (rounds > 1) {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const part of parts) {
      const rs = results[part]!;
      console.log(`median ${PARTS[part]!.name}: ${median(rs.map((r) => r.perSecond)).toFixed(0)}/s, p99 ${median(rs.map((r) => r.p99)).toFixed(1)} ms, ${median(rs.map((r) => r.cpu)).toFixed(2)} ms CPU/req`);
    }
  }
} finally {
  await new Promise<void>((resolve) => {
    server.once('exit', () => resolve());
    server.send({ type: 'stop' });
  });
  fakes.send({ type: 'stop' });
  await dropRedisPrefix(prefix);
  const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await c.end();
}
