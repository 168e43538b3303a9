/**
 * npm run bench: every benchmark, results added to bench/results.md (newest first, earlier runs kept below for
 * comparison) with the machine, date and git commit.
 *
 *   npm run bench                       # about 7 minutes on 2 cores
 *   BENCH_PROFILE=1 npm run bench       # also writes a CPU profile of the server process (--cpu-prof)
 *   BENCH_ONLY=http npm run bench       # only the HTTP part (http | classify | timers, comma-separated)
 *
 * The HTTP part starts the hotline in a second process (bench/http-server.ts) and loads it from this one with
 * autocannon over loopback; classify and timers run as child processes as they are.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fire, smsDialogs, voiceCalls, wecomMessages, type BenchRequest, type LoadResult } from './load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench/results.md');
const ONLY = new Set((process.env.BENCH_ONLY ?? 'http,classify,timers').split(','));
const TIMER_REFERRALS = process.env.BENCH_TIMER_REFERRALS ?? '100000';
/** 50/s is below what this machine sustains, so its latency is the service's own; the rest show overload. */
const RATES = [50, 100, 500, 1000];
/**
 * Residents talking at once. A resident's next turn is LANES requests after the last, so with at most LANES
 * connections no resident ever has two turns in flight (people do not type that fast), and a run of a few hundred
 * requests still reaches every turn of the dialog.
 */
const LANES = 64;
const SECONDS_PER_RATE = 10;

type Stats = { cpu: NodeJS.CpuUsage; rss: number; counts: { inbound: number; processed: number; cases: number; baseline: number } };
type Server = { url: string; stats(): Promise<Stats>; stop(): Promise<void> };

async function startServer(): Promise<Server> {
  const logFile = join(tmpdir(), `hotline-bench-server-${process.pid}.log`);
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(tmpdir(), 'hotline-bench-profiles')}`] : [];
  const child: ChildProcess = fork(join(ROOT, 'bench/http-server.ts'), [], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', openSync(logFile, 'w'), 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server not ready within 120 s; its log is ${logFile}`)), 120_000);
    child.once('message', (m: { type: string; url: string }) => {
      clearTimeout(timer);
      resolve(m.url);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with code ${code} before it was ready; its log is ${logFile}`)));
  });
  console.error(`bench server on ${url} (log: ${logFile})`);
  // Interrupted: the server still drops its database and keys.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.send({ type: 'stop' }, () => process.exit(130)));
  return {
    url,
    stats: () =>
      new Promise((resolve) => {
        const on = (m: Stats & { type: string }) => {
          if (m.type !== 'stats') return;
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        child.send({ type: 'stats' });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}

type Row = LoadResult & { name: string; rate?: number; cpuMsPerRequest: number; stored?: string };

async function measure(server: Server, name: string, requests: BenchRequest[], opts: { rate?: number; connections: number; seconds: number; counts?: 'turns' | 'baseline' }): Promise<Row> {
  const before = await server.stats();
  const r = await fire(server.url, requests, opts);
  const after = await server.stats();
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  const stored =
    opts.counts === 'turns'
      ? `${after.counts.processed - before.counts.processed}/${after.counts.inbound - before.counts.inbound} processed/stored, ${after.counts.cases - before.counts.cases} cases`
      : opts.counts === 'baseline'
        ? `${after.counts.baseline - before.counts.baseline} rows`
        : undefined;
  const row: Row = { name, rate: opts.rate, ...r, cpuMsPerRequest: cpuMs / Math.max(1, r.requests), stored };
  console.error(`  ${name}: ${fmt(row.perSecond, 0)}/s, p50 ${fmt(row.p50)} ms, p99 ${fmt(row.p99)} ms, ${JSON.stringify(row.statuses)}${row.errors ? `, ${row.errors} errors` : ''}`);
  return row;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
async function httpBench(): Promise<string> {
  const server = await startServer();
  const rows: Row[] = [];
  const ratios: string[] = [];
  let series = 0;
  const dialog = { turns: 'dialog' } as const;
  const baseline = { turns: 'dialog', path: '/bench/baseline' } as const;
  try {
    console.error('warming up…');
    await fire(server.url, smsDialogs(2000, LANES, series++, dialog), { rate: 200, connections: LANES, seconds: 5 });
    await fire(server.url, smsDialogs(2000, LANES, series++, baseline), { rate: 400, connections: LANES, seconds: 3 });

    for (const rate of RATES) {
      const n = rate * SECONDS_PER_RATE;
      // An open loop (bench/load.ts fireAtRate): evenly spaced arrivals, at most LANES in flight.
      const at = { rate, connections: LANES, seconds: SECONDS_PER_RATE };
      const base = await measure(server, `baseline @ ${rate}/s`, smsDialogs(n, LANES, series++, baseline), { ...at, counts: 'baseline' });
      const sms = await measure(server, `SMS dialog turns @ ${rate}/s`, smsDialogs(n, LANES, series++, dialog), { ...at, counts: 'turns' });
      rows.push(base, sms);
      ratios.push(`| ${rate}/s | ${fmt(sms.perSecond, 0)} / ${fmt(base.perSecond, 0)} | ${fmt(sms.perSecond / base.perSecond, 2)} | ${fmt(sms.p99)} / ${fmt(base.p99)} ms |`);
    }
    // As fast as it answers: the throughput ratio that the fixed rates cannot show once both keep up.
    const saturated = { connections: 32, seconds: 8 };
    const base = await measure(server, 'baseline, saturated (32 connections)', smsDialogs(20_000, LANES, series++, baseline), { ...saturated, counts: 'baseline' });
    const sms = await measure(server, 'SMS dialog turns, saturated (32 connections)', smsDialogs(10_000, LANES, series++, dialog), { ...saturated, counts: 'turns' });
    rows.push(base, sms);
    ratios.push(`| saturated | ${fmt(sms.perSecond, 0)} / ${fmt(base.perSecond, 0)} | **${fmt(sms.perSecond / base.perSecond, 2)}** | ${fmt(sms.p99)} / ${fmt(base.p99)} ms |`);

    const application = { turns: 'application' } as const;
    rows.push(await measure(server, 'SMS applications (1 turn in 5 opens a case) @ 100/s', smsDialogs(1000, LANES, series++, application), { rate: 100, connections: LANES, seconds: SECONDS_PER_RATE, counts: 'turns' }));
    rows.push(await measure(server, 'SMS applications, saturated (32 connections)', smsDialogs(10_000, LANES, series++, application), { ...saturated, counts: 'turns' }));
    for (const rate of [100, 500]) {
      const at = { rate, connections: LANES, seconds: SECONDS_PER_RATE, counts: 'turns' } as const;
      rows.push(await measure(server, `voice TwiML @ ${rate}/s`, voiceCalls(rate * SECONDS_PER_RATE, LANES, series++), at));
      rows.push(await measure(server, `WeCom acknowledgement @ ${rate}/s`, wecomMessages(rate * SECONDS_PER_RATE, LANES, series++), at));
    }
  } finally {
    await server.stop();
  }
  const table = [
    '| scenario | done/s | p50 ms | p99 ms | max ms | server CPU ms/req | responses | rows |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.perSecond, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.cpuMsPerRequest, 2)} | ${Object.entries(r.statuses)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')}${r.errors ? `, ${r.errors} errors` : ''} | ${r.stored ?? ''} |`,
    ),
  ];
  return [
    '### HTTP (second process → loopback → hotline with PostgreSQL and Redis)',
    '',
    `SMS dialog turns: residents filling in an application by SMS (details, phone, relation, consent: state in, state out, replies), 64 residents at a time, a resident's next turn 64 requests after the last. SMS applications: the same plus the confirming turn, which opens, classifies and routes a case (referrals, timers, staff notices). Baseline: the same signed form posts to POST /bench/baseline (parse, one INSERT, one Redis SET) in the same server process. Voice: calls of two turns (greeting, then speech). WeCom: encrypted app messages (4-turn application); the acknowledgement is sent once the message is stored, the turn and the reply through the (fake) WeCom API follow in the same process. HTTP process only (no BullMQ workers), LOG_LEVEL=info, rate limiter on. Fixed rates are an open loop: requests evenly spaced at the rate, latency counted from when each was due (a server that falls behind shows its backlog), at most 64 in flight. Saturated runs: autocannon, 32 connections, as fast as answered.`,
    '',
    ...table,
    '',
    '| SMS vs baseline | done/s (ours / baseline) | ratio | p99 (ours / baseline) |',
    '|---|---:|---:|---:|',
    ...ratios,
  ].join('\n');
}

function runChild(script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      process.stdout.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? out.trim() : `${out.trim()}\n(${script} ${signal ? `stopped by ${signal} after ${timeoutMs / 1000} s` : `failed with exit code ${code}`})`);
    });
  });
}

function machine(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain').split('\n').filter(Boolean).length;
  const services = (() => {
    try {
      const redis = /redis_version:(\S+)/.exec(execFileSync('redis-cli', ['info', 'server'], { encoding: 'utf8' }))?.[1];
      const postgres = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc', 'SHOW server_version'], { encoding: 'utf8' }).trim();
      return `PostgreSQL ${postgres}, Redis ${redis}`;
    } catch {
      return 'PostgreSQL and Redis versions unavailable (psql/redis-cli not on PATH)';
    }
  })();
  return [
    `- date: ${new Date().toISOString()}`,
    `- commit: ${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + ${dirty} uncommitted files` : ''}`,
    `- machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, node ${process.version}, ${services}`,
    `- load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (1/5/15 min; other work on the machine shows here and in the figures)`,
  ].join('\n');
}

async function main() {
  const started = Date.now();
  const sections = [`## Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, '', machine(), ''];
  if (ONLY.has('http')) sections.push(await httpBench(), '');
  if (ONLY.has('classify')) sections.push('### Classifier (bench/classify.ts)', '', '```', await runChild('bench/classify.ts', [], 60_000), '```', '');
  if (ONLY.has('timers')) sections.push(`### Timers (bench/timers.ts ${TIMER_REFERRALS})`, '', '```', await runChild('bench/timers.ts', [TIMER_REFERRALS], 420_000), '```', '');
  sections.push(`Full run: ${((Date.now() - started) / 1000).toFixed(0)} s.`, '');

  const header = '# Benchmarks\n\nWritten by `npm run bench` (bench/run.ts); newest run first. Compare runs on the same machine and load.\n\n';
  const earlier = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8').split('<!-- run -->').slice(1).join('<!-- run -->') : '';
  writeFileSync(RESULTS, `${header}<!-- run -->\n${sections.join('\n')}${earlier ? `\n<!-- run -->${earlier}` : ''}`);
  console.log(`\n${sections.join('\n')}\nwritten to ${RESULTS}`);
}

await main();
