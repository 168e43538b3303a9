/**
 * npm run bench: every benchmark, results added to bench/results.md (newest first, earlier runs kept below for
 * comparison) with the machine, date and git commit.
 *
 *   npm run bench                       # about 15 minutes on 2 cores (the exports part about 6)
 *   BENCH_PROFILE=1 npm run bench       # also writes a CPU profile of each server process (--cpu-prof)
 *   BENCH_ONLY=http npm run bench       # only the HTTP part (http | polling | cases | classify | timers | exports, comma-separated)
 *   BENCH_ONLY=polling npm run bench    # only the SMS webhook's p99 with and without /metrics and Open311 polled (about 5 minutes)
 *   BENCH_PROCESSES=2 npm run bench     # the HTTP part with one server process, then again with two sharing
 *                                       # PostgreSQL and Redis, and both figures side by side
 *
 * The HTTP part starts the hotline in separate processes (bench/http-server.ts), all on one throwaway database and
 * Redis prefix, and loads them from this one over loopback (requests round robin over the processes, as a balancer
 * spreads them); the Twilio and WeCom REST fakes run in a process of their own (bench/provider-fakes.ts). cases,
 * classify and timers run as child processes as they are.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { fire, percentile, smsDialogs, voiceCalls, wecomMessages, type BenchRequest, type LoadResult } from './load.js';
import { PG_BASE, admin, dropRedisPrefix } from './scratch-stores.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = process.env.BENCH_RESULTS ?? join(ROOT, 'bench/results.md');
const ONLY = new Set((process.env.BENCH_ONLY ?? 'http,polling,cases,classify,timers,exports').split(','));
/** Server processes for the HTTP part's second pass (1: one pass only). */
const PROCESSES = Math.max(1, Number(process.env.BENCH_PROCESSES ?? 1) || 1);
const TIMER_REFERRALS = process.env.BENCH_TIMER_REFERRALS ?? '100000';
/** Cases (and referrals) of the county whose registers bench/exports.ts exports six at once. */
const EXPORT_CASES = process.env.BENCH_EXPORT_CASES ?? '100000';
/** 50/s is below what this machine sustains, so its latency is the service's own; the rest show overload. */
const RATES = [50, 100, 500, 1000];
/**
 * Residents talking at once. A resident's next turn is LANES requests after the last, and is sent only once the last
 * was answered (acknowledged, for WeCom), so no resident ever has two turns in flight (people do not type that fast;
 * in a saturated run the 32 connections alone ensure it), and a run of a few hundred requests still reaches every turn
 * of the dialog.
 */
const LANES = 64;
/** Seconds per fixed rate (BENCH_SECONDS shortens a trial run; figures for results.md use the default). */
const SECONDS_PER_RATE = Number(process.env.BENCH_SECONDS ?? 10) || 10;

type Counts = { inbound: number; processed: number; cases: number; baseline: number };
type Stats = { cpu: NodeJS.CpuUsage; rss: number; counts: Counts; loop?: { p99: number; max: number } };
type Order = { channel: string; senders: number; outOfOrder: number }[];
/** One or more server processes on one database and Redis prefix. */
type Fleet = { urls: string[]; databaseUrl: string; stats(): Promise<Stats>; order(): Promise<Order>; stop(): Promise<void> };


function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: T & { type: string }) => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send({ type });
  });
}

/**
 * Starts `n` hotline processes sharing a throwaway database and Redis prefix, and the provider fakes. Stopping them
 * removes the database and the keys.
 */
async function startFleet(n: number): Promise<Fleet> {
  const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `hotline_bench_http_${id}`;
  const prefix = `bench_http_${id}`;
  await applyMigrations({ databaseUrl: `${PG_BASE}/${dbName}`, migrationsDir: MIGRATIONS_DIR });
  const fakes = fork(join(ROOT, 'bench/provider-fakes.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { twilio, wecom } = await new Promise<{ twilio: string; wecom: string }>((resolve, reject) => {
    fakes.once('message', resolve);
    fakes.once('exit', (code) => reject(new Error(`provider fakes exited with code ${code}`)));
  });
  const env = {
    ...process.env,
    BENCH_DATABASE_URL: `${PG_BASE}/${dbName}`,
    BENCH_REDIS_PREFIX: prefix,
    BENCH_DATA_KEY: randomBytes(32).toString('base64'),
    BENCH_TWILIO_API: twilio,
    BENCH_WECOM_API: wecom,
  };
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(tmpdir(), 'hotline-bench-profiles')}`] : [];
  const children: ChildProcess[] = [];
  const cleanUp = async () => {
    await new Promise((r) => setTimeout(r, 100));
    await dropRedisPrefix(prefix);
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((err: Error) => console.error(`could not drop ${dbName}: ${err.message}`));
    await new Promise((resolve) => {
      fakes.once('exit', resolve);
      fakes.send({ type: 'stop' });
    });
  };
  const start = async (i: number) => {
    // The first process's directory import and calendar come first; the others find them.
    const logFile = join(tmpdir(), `hotline-bench-server-${process.pid}-${i}.log`);
    const child = fork(join(ROOT, 'bench/http-server.ts'), [], { env, execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', openSync(logFile, 'w'), 'inherit', 'ipc'] });
    children.push(child);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench server not ready within 120 s; its log is ${logFile}`)), 120_000);
      child.once('message', (m: { type: string; url: string }) => {
        clearTimeout(timer);
        console.error(`bench server ${i + 1}/${n} on ${m.url} (log: ${logFile})`);
        resolve(m.url);
      });
      child.once('exit', (code) => reject(new Error(`bench server exited with code ${code} before it was ready; its log is ${logFile}`)));
    });
  };
  const urls: string[] = [];
  try {
    for (let i = 0; i < n; i++) urls.push(await start(i));
  } catch (err) {
    for (const c of children) c.kill('SIGTERM');
    await cleanUp();
    throw err;
  }
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.send({ type: 'stop' });
          }),
      ),
    );
    await cleanUp();
  };
  // Interrupted: the servers stop and the database and keys go.
  const interrupted = () => void stop().then(() => process.exit(130));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, interrupted);
  return {
    urls,
    databaseUrl: `${PG_BASE}/${dbName}`,
    async stats() {
      // CPU of every process, added up; the rows are shared, so one process counts them (after all have settled).
      const all = await Promise.all(children.map((c) => ask<Stats>(c, 'stats')));
      const cpu = all.reduce((a, s) => ({ user: a.user + s.cpu.user, system: a.system + s.cpu.system }), { user: 0, system: 0 });
      const loops = all.flatMap((s) => (s.loop ? [s.loop] : []));
      const loop = loops.length ? { p99: Math.max(...loops.map((l) => l.p99)), max: Math.max(...loops.map((l) => l.max)) } : undefined;
      return { cpu, rss: all.reduce((a, s) => a + s.rss, 0), counts: (await ask<Stats>(children[0]!, 'stats')).counts, ...(loop ? { loop } : {}) };
    },
    order: async () => (await ask<{ order: Order }>(children[0]!, 'order')).order,
    async stop() {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, interrupted);
      await stop();
    },
  };
}

type Row = LoadResult & { name: string; rate?: number; cpuMsPerRequest: number; stored?: string };

async function measure(server: Fleet, name: string, requests: BenchRequest[], opts: { rate?: number; connections: number; seconds: number; counts?: 'turns' | 'baseline' }): Promise<Row> {
  const before = await server.stats();
  const r = await fire(server.urls, requests, opts);
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

type Pass = { processes: number; rows: Row[]; ratios: string[]; order: Order };
type Scenario = { name: string; requests: (series: number) => BenchRequest[]; opts: { rate?: number; connections: number; seconds: number; counts?: 'turns' | 'baseline' } };

/** Every scenario of the HTTP part, in order; baseline and SMS pairs give the ratios. */
function scenarios(): Scenario[] {
  const dialog = { turns: 'dialog' } as const;
  const baseline = { turns: 'dialog', path: '/bench/baseline' } as const;
  const application = { turns: 'application' } as const;
  // As fast as it answers: the throughput ratio that the fixed rates cannot show once both keep up.
  const saturated = { connections: 32, seconds: Math.min(8, SECONDS_PER_RATE) };
  const list: Scenario[] = [];
  for (const rate of RATES) {
    const n = rate * SECONDS_PER_RATE;
    // An open loop (bench/load.ts fireAtRate): evenly spaced arrivals, at most LANES in flight.
    const at = { rate, connections: LANES, seconds: SECONDS_PER_RATE };
    list.push({ name: `baseline @ ${rate}/s`, requests: (s) => smsDialogs(n, LANES, s, baseline), opts: { ...at, counts: 'baseline' } });
    list.push({ name: `SMS dialog turns @ ${rate}/s`, requests: (s) => smsDialogs(n, LANES, s, dialog), opts: { ...at, counts: 'turns' } });
  }
  list.push({ name: 'baseline, saturated (32 connections)', requests: (s) => smsDialogs(20_000, LANES, s, baseline), opts: { ...saturated, counts: 'baseline' } });
  list.push({ name: 'SMS dialog turns, saturated (32 connections)', requests: (s) => smsDialogs(10_000, LANES, s, dialog), opts: { ...saturated, counts: 'turns' } });
  list.push({ name: 'SMS applications (1 turn in 5 opens a case) @ 100/s', requests: (s) => smsDialogs(1000, LANES, s, application), opts: { rate: 100, connections: LANES, seconds: SECONDS_PER_RATE, counts: 'turns' } });
  list.push({ name: 'SMS applications, saturated (32 connections)', requests: (s) => smsDialogs(10_000, LANES, s, application), opts: { ...saturated, counts: 'turns' } });
  for (const rate of [100, 200, 500]) {
    const at = { rate, connections: LANES, seconds: SECONDS_PER_RATE, counts: 'turns' } as const;
    list.push({ name: `voice TwiML @ ${rate}/s`, requests: (s) => voiceCalls(rate * SECONDS_PER_RATE, LANES, s), opts: at });
    list.push({ name: `WeCom acknowledgement @ ${rate}/s`, requests: (s) => wecomMessages(rate * SECONDS_PER_RATE, LANES, s), opts: at });
  }
  return list;
}

/**
 * Every scenario against each fleet: one server process, then (BENCH_PROCESSES) several sharing one database and
 * Redis prefix. Both fleets stay up and take each scenario one after the other, so the two figures of a scenario
 * are measured minutes apart at most, under the same load from the rest of the machine.
 */
async function httpPasses(): Promise<Pass[]> {
  const sizes = PROCESSES > 1 ? [1, PROCESSES] : [1];
  const fleets: Fleet[] = [];
  try {
    for (const n of sizes) fleets.push(await startFleet(n));
    const passes: Pass[] = sizes.map((processes) => ({ processes, rows: [], ratios: [], order: [] }));
    let series = 0;
    console.error('warming up…');
    for (const fleet of fleets) {
      await fire(fleet.urls, smsDialogs(2000, LANES, 90, { turns: 'dialog' }), { rate: 200, connections: LANES, seconds: 5 });
      await fire(fleet.urls, smsDialogs(2000, LANES, 91, { turns: 'dialog', path: '/bench/baseline' }), { rate: 400, connections: LANES, seconds: 3 });
    }
    for (const scenario of scenarios()) {
      const s = series++;
      for (const [i, fleet] of fleets.entries()) passes[i]!.rows.push(await measure(fleet, `${scenario.name}${fleets.length > 1 ? ` [${sizes[i]}]` : ''}`, scenario.requests(s), scenario.opts));
    }
    for (const [i, fleet] of fleets.entries()) {
      const pass = passes[i]!;
      pass.rows = pass.rows.map((r) => ({ ...r, name: r.name.replace(/ \[\d+\]$/, '') }));
      for (const rate of [...RATES.map((r) => `${r}/s`), 'saturated']) {
        const base = pass.rows.find((r) => r.name.startsWith('baseline') && r.name.includes(rate === 'saturated' ? 'saturated' : `@ ${rate}`))!;
        const sms = pass.rows.find((r) => r.name.startsWith('SMS dialog turns') && r.name.includes(rate === 'saturated' ? 'saturated' : `@ ${rate}`))!;
        const ratio = fmt(sms.perSecond / base.perSecond, 2);
        pass.ratios.push(`| ${rate} | ${fmt(sms.perSecond, 0)} / ${fmt(base.perSecond, 0)} | ${rate === 'saturated' ? `**${ratio}**` : ratio} | ${fmt(sms.p99)} / ${fmt(base.p99)} ms |`);
      }
      await fleet.stats();
      pass.order = await fleet.order();
    }
    return passes;
  } finally {
    for (const fleet of fleets) await fleet.stop();
  }
}

function passTables(pass: Pass): string[] {
  return [
    '| scenario | done/s | p50 ms | p99 ms | max ms | server CPU ms/req | responses | rows |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...pass.rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.perSecond, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.cpuMsPerRequest, 2)} | ${Object.entries(r.statuses)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')}${r.errors ? `, ${r.errors} errors` : ''} | ${r.stored ?? ''} |`,
    ),
    '',
    '| SMS vs baseline | done/s (ours / baseline) | ratio | p99 (ours / baseline) |',
    '|---|---:|---:|---:|',
    ...pass.ratios,
    '',
    `Per-sender order (every resident's turns processed in the order sent): ${pass.order.map((o) => `${o.channel} ${o.outOfOrder} of ${o.senders} senders out of order`).join(', ') || 'no turns'}.`,
  ];
}

async function httpBench(): Promise<string> {
  const passes = await httpPasses();
  const intro = `SMS dialog turns: residents filling in an application by SMS (details, phone, relation, consent: state in, state out, replies), 64 residents at a time, a resident's next turn 64 requests after the last. SMS applications: the same plus the confirming turn, which opens, classifies and routes a case (referrals, timers, staff notices). Baseline: the same signed form posts to POST /bench/baseline (parse, one INSERT, one Redis SET) in the same server process. Voice: calls of two turns (greeting, then speech). WeCom: encrypted app messages (4-turn application); the acknowledgement is sent once the message is stored, the turn and the reply through the (fake) WeCom API follow in the same process. HTTP processes only (no BullMQ workers), LOG_LEVEL=info, rate limiter on; the Twilio and WeCom API fakes run in a process of their own. Fixed rates are an open loop: requests evenly spaced at the rate, latency counted from when each was due (a server that falls behind shows its backlog), at most 64 in flight, a resident's next message sent only once the last was answered (acknowledged, for WeCom). Saturated runs: a closed loop of 32 connections, as fast as answered, a resident never with two messages in flight. With several processes, requests go to each in turn as they are sent (so a resident's messages land on either). Server CPU is the sum over the server processes.`;
  const out = ['### HTTP (load generator → loopback → hotline processes with PostgreSQL and Redis)', '', intro];
  if (passes.length > 1) out.push('', `Each scenario ran against one server process, then at once against ${PROCESSES} processes sharing PostgreSQL and Redis (both fleets up all along), so the two figures of a row were measured under the same load from the rest of the machine.`);
  for (const pass of passes) out.push('', `#### ${pass.processes} server process${pass.processes > 1 ? 'es sharing PostgreSQL and Redis, requests round robin' : ''}`, '', ...passTables(pass));
  if (passes.length > 1) {
    const [one, more] = passes as [Pass, Pass];
    out.push(
      '',
      `#### 1 vs ${more.processes} processes`,
      '',
      `| scenario | done/s (1 / ${more.processes}) | ratio | p99 ms (1 / ${more.processes}) | CPU ms/req (1 / ${more.processes}) |`,
      '|---|---:|---:|---:|---:|',
      ...one.rows.map((r, i) => {
        const m = more.rows[i]!;
        return `| ${r.name} | ${fmt(r.perSecond, 0)} / ${fmt(m.perSecond, 0)} | ${fmt(m.perSecond / r.perSecond, 2)} | ${fmt(r.p99)} / ${fmt(m.p99)} | ${fmt(r.cpuMsPerRequest, 2)} / ${fmt(m.cpuMsPerRequest, 2)} |`;
      }),
    );
  }
  return out.join('\n');
}

// ───────────────────────── polling: the SMS webhook while /metrics and Open311 are polled ─────────────────────────

/** SMS turns a second while the SMS webhook's latency is measured: moderate, well below what one process sustains. */
const POLL_SMS_RATE = Number(process.env.BENCH_POLL_RATE ?? 25) || 25;
/** Seconds per run; each condition runs POLL_ROUNDS times, alternating, and their latencies are pooled. */
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS ?? 20) || 20;
const POLL_ROUNDS = Number(process.env.BENCH_POLL_ROUNDS ?? 6) || 6;
/** Polls a second of each of /metrics and the Open311 list. */
const POLLS_PER_SECOND = 10;
/**
 * The county the pollers read: cases spread over POLL_DAYS (about 27 a day: five years of a county), one referral
 * each (in hand for the last IN_HAND_DAYS' cases, some overdue; closed before), 1 in 10 published, 5 messages each.
 * BENCH_POLL_DAYS=35 puts them all in the last five weeks, every referral in hand: a stress far beyond a county.
 */
const POLL_CASES = Number(process.env.BENCH_POLL_CASES ?? 50_000) || 50_000;
const POLL_DAYS = Number(process.env.BENCH_POLL_DAYS ?? 1826) || 1826;
const IN_HAND_DAYS = 60;
/** The aim (issue 15): the SMS webhook's p99 with polling stays within 1.5× of its p99 without. */
const POLL_AIM = 1.5;
/**
 * What is polled (BENCH_POLL_TARGETS=metrics or open311 polls one alone, to see which one costs; healthz polls
 * /healthz as often as both, a control: what that many requests cost whatever they ask for).
 */
const POLL_TARGETS = new Set((process.env.BENCH_POLL_TARGETS ?? 'metrics,open311').split(','));

/** A county's year of rows for the scrape and the public list to read: cases, referrals, resident messages. */
async function seedCounty(databaseUrl: string, cases: number): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const inHand = `c."createdAt" > now() - interval '${IN_HAND_DAYS} days'`;
    await c.query(
      `INSERT INTO "Case" (id, "trackingNumber", type, status, categories, channel, "applicantName", phone, "townshipId", reason, "householdSize", published, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), 'P' || lpad(g::text, 11, '0'), 'application', 'routed',
              ARRAY[(ARRAY['minimum_living', 'medical', 'temporary', 'elderly', 'disability', 'housing'])[1 + g % 6]], 'sms', '居民' || g, '138' || lpad(g::text, 8, '0'),
              t.ids[1 + g % cardinality(t.ids)], '老伴瘫痪在床，家里没有收入', 1 + g % 6, g % 10 = 0, now() - g * ($2::float8 / $1::int) * interval '1 day', now()
         FROM generate_series(1, $1::int) g, (SELECT array_agg(id) AS ids FROM "Township") t`,
      [cases, POLL_DAYS],
    );
    await c.query(`UPDATE "Case" c SET status = CASE WHEN ${inHand} THEN (ARRAY['routed', 'in_progress', 'answered'])[1 + (hashtext(c.id::text) & 3) % 3]::"CaseStatus" ELSE 'closed' END`);
    // In hand: due dates from 10 days ago to 20 days ahead, a share of them overdue, as in a county behind on some.
    await c.query(
      `INSERT INTO "Referral" (id, "caseId", "trackingNumber", category, role, step, "unitKind", "townshipId", status, "signDueAt", "dueAt", "dispatchedAt", "signedAt", "answeredAt", "closedAt", "updatedAt")
       SELECT gen_random_uuid(), c.id, c."trackingNumber" || '-1', c.categories[1], 'lead', 'investigate', 'township', c."townshipId",
              CASE WHEN ${inHand} THEN (ARRAY['dispatched', 'signed', 'in_progress'])[1 + (row_number() OVER ()) % 3] ELSE 'closed' END::"ReferralStatus",
              CASE WHEN ${inHand} THEN now() - interval '10 days' + (random() * interval '30 days') ELSE c."createdAt" + interval '1 day' END,
              CASE WHEN ${inHand} THEN now() - interval '10 days' + (random() * interval '30 days') ELSE c."createdAt" + interval '20 days' END,
              c."createdAt",
              CASE WHEN ${inHand} THEN NULL ELSE c."createdAt" + interval '5 hours' END,
              CASE WHEN ${inHand} THEN NULL ELSE c."createdAt" + interval '12 days' END,
              CASE WHEN ${inHand} THEN NULL ELSE c."createdAt" + interval '30 days' END,
              now()
         FROM "Case" c`,
    );
    await c.query(
      `INSERT INTO "Message" (id, channel, direction, "providerId", sender, recipient, text, status, "receivedAt", "processedAt", "createdAt")
       SELECT gen_random_uuid(), 'sms', 'inbound', 'SMseed' || g, '+86138' || lpad((g / 5)::text, 8, '0'), '+8653912349', '好的', 'processed',
              now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
         FROM generate_series(1, $1::int * 5) g`,
      [cases],
    );
    // A county's older rows have been vacuumed: index-only counts work as they do in service.
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
}

type PollStats = { requests: number; statuses: Record<string, number>; skipped: number; latencies: number[]; cpu: NodeJS.CpuUsage };

/** The machine's CPU time so far, busy and all (from /proc/stat; undefined elsewhere): how loaded the machine was during a run. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = fields.map(Number);
    const idle = n[3]! + (n[4] ?? 0);
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * The pollers' process (bench/poller.ts), started once and ready before any run: `poll(url)` polls /metrics and the
 * Open311 list until stopped.
 */
async function startPoller() {
  const poller = fork(join(ROOT, 'bench/poller.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    poller.once('message', () => resolve());
    poller.once('exit', (code) => reject(new Error(`the poller exited with code ${code} before it was ready`)));
  });
  return {
    poll(url: string): { stop(): Promise<PollStats> } {
      poller.send({ type: 'start', url, targets: [...POLL_TARGETS], perSecond: POLLS_PER_SECOND });
      return {
        stop: () =>
          new Promise<PollStats>((resolve) => {
            poller.once('message', (m: PollStats) => resolve(m));
            poller.send({ type: 'stop' });
          }),
      };
    },
    exit: () => poller.send({ type: 'exit' }),
  };
}

/**
 * The SMS webhook's latency with and without polling (issue 15: "the SMS webhook's p99 with /metrics and Open311
 * polled 10 times a second stays within 1.5× of its p99 without polling"). One server process on a seeded county;
 * SMS dialog turns at a fixed, moderate rate; runs without and with the pollers alternate (the order swapped each
 * round, so a change in the machine's load falls on both), and each condition's latencies are pooled for its p99.
 */
async function pollingBench(): Promise<string> {
  const fleet = await startFleet(1);
  const poller = await startPoller();
  try {
    const seeding = Date.now();
    await seedCounty(fleet.databaseUrl, POLL_CASES);
    const seeded = (Date.now() - seeding) / 1000;
    const countOf = async (q: string) => {
      const c = new pg.Client({ connectionString: fleet.databaseUrl });
      await c.connect();
      try {
        return (await c.query<{ n: number }>(q)).rows[0]!.n;
      } finally {
        await c.end();
      }
    };
    const inHandCount = await countOf(`SELECT count(*)::int AS n FROM "Referral" WHERE status <> 'closed'`);
    const publishedRecent = await countOf(`SELECT count(*)::int AS n FROM "Case" WHERE published AND "createdAt" > now() - interval '90 days'`);
    console.error(`polling: seeded ${POLL_CASES} cases in ${seeded.toFixed(0)} s; warming up…`);
    await fire(fleet.urls, smsDialogs(1000, LANES, 80, { turns: 'dialog' }), { rate: POLL_SMS_RATE * 2, connections: LANES, seconds: 5 });
    const warm = poller.poll(fleet.urls[0]!);
    await new Promise((r) => setTimeout(r, 3000));
    await warm.stop();

    const runs: { polled: boolean; round: number; r: LoadResult; cpuMsPerRequest: number; loopMax: number; machineBusy: number; polls?: PollStats }[] = [];
    let series = 81;
    for (let round = 0; round < POLL_ROUNDS; round++) {
      for (const polled of round % 2 === 0 ? [false, true] : [true, false]) {
        const before = await fleet.stats();
        const machineBefore = machineCpu();
        const polling = polled ? poller.poll(fleet.urls[0]!) : undefined;
        const r = await fire(fleet.urls, smsDialogs(POLL_SMS_RATE * POLL_SECONDS, LANES, series++, { turns: 'dialog' }), { rate: POLL_SMS_RATE, connections: LANES, seconds: POLL_SECONDS });
        const polls = await polling?.stop();
        const machineAfter = machineCpu();
        const machineBusy = machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total) : Number.NaN;
        const after = await fleet.stats();
        const cpuMsPerRequest = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000 / Math.max(1, r.requests);
        const loopMax = after.loop?.max ?? Number.NaN;
        runs.push({ polled, round, r, cpuMsPerRequest, loopMax, machineBusy, ...(polls ? { polls } : {}) });
        console.error(`  round ${round + 1} ${polled ? 'polled    ' : 'not polled'}: p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, event loop held up at most ${fmt(loopMax)} ms, machine ${fmt(machineBusy * 100, 0)}% busy, ${JSON.stringify(r.statuses)}${polls ? `; polls ${polls.requests}, ${JSON.stringify(polls.statuses)}` : ''}`);
      }
    }
    const pooled = (polled: boolean) => {
      const mine = runs.filter((x) => x.polled === polled);
      const latencies = mine.flatMap((x) => x.r.latencies).sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const x of mine) for (const [k, n] of Object.entries(x.r.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
      return {
        latencies,
        statuses,
        errors: mine.reduce((a, x) => a + x.r.errors, 0),
        cpu: mine.reduce((a, x) => a + x.cpuMsPerRequest, 0) / mine.length,
        loopMax: Math.max(...mine.map((x) => x.loopMax)),
        machineBusy: mine.reduce((a, x) => a + x.machineBusy, 0) / mine.length,
      };
    };
    const quiet = pooled(false);
    const polled = pooled(true);
    const polls = runs.flatMap((x) => (x.polls ? [x.polls] : []));
    const pollLatencies = polls.flatMap((p) => p.latencies).sort((a, b) => a - b);
    const pollStatuses: Record<string, number> = {};
    for (const p of polls) for (const [k, n] of Object.entries(p.statuses)) pollStatuses[k] = (pollStatuses[k] ?? 0) + n;
    const ratio = percentile(polled.latencies, 99) / percentile(quiet.latencies, 99);
    // The machine's other work comes and goes within a run: each round's two runs are neighbours in time.
    const pairs = Array.from({ length: POLL_ROUNDS }, (_, round) => ({
      quiet: runs.find((x) => x.round === round && !x.polled)!.r.p99,
      polled: runs.find((x) => x.round === round && x.polled)!.r.p99,
    }));
    const sortedRatios = pairs.map((p) => p.polled / p.quiet).sort((a, b) => a - b);
    const medianRatio = (sortedRatios[Math.floor((sortedRatios.length - 1) / 2)]! + sortedRatios[Math.ceil((sortedRatios.length - 1) / 2)]!) / 2;
    const what = [
      POLL_TARGETS.has('metrics') ? 'GET /metrics with the bearer METRICS_TOKEN' : '',
      POLL_TARGETS.has('open311') ? `GET /open311/v2/requests.json (in turn: the default list, status=open, one category)` : '',
      POLL_TARGETS.has('healthz') ? 'GET /healthz twice (a control)' : '',
    ].filter(Boolean);
    const line = (name: string, x: ReturnType<typeof pooled>) =>
      `| ${name} | ${x.latencies.length} | ${fmt(percentile(x.latencies, 50))} | ${fmt(percentile(x.latencies, 99))} | ${fmt(x.latencies.at(-1) ?? Number.NaN)} | ${fmt(x.cpu, 2)} | ${fmt(x.loopMax)} | ${fmt(x.machineBusy * 100, 0)}% | ${Object.entries(x.statuses)
        .map(([c, n]) => `${c}×${n}`)
        .join(' ')}${x.errors ? `, ${x.errors} errors` : ''} |`;
    return [
      '### SMS webhook while /metrics and Open311 are polled',
      '',
      `One server process (bench/http-server.ts, METRICS_CACHE_SECONDS and OPEN311_CACHE_SECONDS at their defaults) on a county of ${POLL_CASES} cases over ${POLL_DAYS} days (BENCH_POLL_DAYS), one referral each (${inHandCount} of them in hand, those of the last ${IN_HAND_DAYS} days' cases, some overdue; the rest closed), 1 case in 10 published (${publishedRecent} of them in the Open311 list's default 90 days), and ${POLL_CASES * 5} resident messages (seeded in ${seeded.toFixed(0)} s). SMS dialog turns at ${POLL_SMS_RATE}/s, open loop as in the HTTP part; ${POLL_ROUNDS} runs of ${POLL_SECONDS} s without polling and ${POLL_ROUNDS} with, alternating (the order swapped each round), latencies pooled per condition. Polling: ${what.join(' and ')}, ${what.length > 1 ? 'each ' : ''}${POLLS_PER_SECOND} times a second, from a process of its own (bench/poller.ts). "Event loop held up" is the server process's longest event-loop delay in any run of the condition (perf_hooks.monitorEventLoopDelay): work that ran without a break, or the machine not giving the process a core. "Machine busy": the share of all the machine's CPU time in use during the runs (/proc/stat), everything on it included.`,
      '',
      '| SMS dialog turns | requests | p50 ms | p99 ms | max ms | server CPU ms/req | event loop held up, max ms | machine busy | responses |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      line('without polling', quiet),
      line(`with ${[POLL_TARGETS.has('metrics') ? '/metrics' : '', POLL_TARGETS.has('open311') ? 'Open311' : '', POLL_TARGETS.has('healthz') ? '/healthz (twice)' : ''].filter(Boolean).join(' and ')} polled ${POLLS_PER_SECOND}/s${what.length > 1 ? ' each' : ''}`, polled),
      '',
      `Polls: ${pollLatencies.length} answered (${Object.entries(pollStatuses)
        .map(([c, n]) => `${c}×${n}`)
        .join(' ')}), p50 ${fmt(percentile(pollLatencies, 50))} ms, p99 ${fmt(percentile(pollLatencies, 99))} ms, ${polls.reduce((a, p) => a + p.skipped, 0)} ticks skipped with 10 polls waiting; the poller's own process used ${fmt(polls.reduce((a, p) => a + p.cpu.user + p.cpu.system, 0) / 1000 / Math.max(1, polls.length * POLL_SECONDS) / 10, 1)}% of a core (on this machine it competes with the server for the same 2 cores).`,
      '',
      `Per round (the two runs of a round back to back), p99 ms without / with polling: ${pairs.map((p) => `${fmt(p.quiet)} / ${fmt(p.polled)} (${fmt(p.polled / p.quiet, 2)})`).join(', ')}; median of the rounds' ratios ${fmt(medianRatio, 2)}.`,
      '',
      `**p99 with polling / without, all runs pooled: ${fmt(ratio, 2)}** (aim: at most ${POLL_AIM}; ${ratio <= POLL_AIM ? 'met' : 'NOT met'}).`,
    ].join('\n');
  } finally {
    poller.exit();
    await fleet.stop();
  }
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
  if (process.env.BENCH_NOTE) sections.push(process.env.BENCH_NOTE, '');
  if (ONLY.has('http')) sections.push(await httpBench(), '');
  if (ONLY.has('polling')) sections.push(await pollingBench(), '');
  if (ONLY.has('cases')) sections.push('### Case opening (bench/case-open.ts 200)', '', '```', await runChild('bench/case-open.ts', ['200'], 300_000), '```', '');
  if (ONLY.has('classify')) sections.push('### Classifier (bench/classify.ts)', '', '```', await runChild('bench/classify.ts', [], 60_000), '```', '');
  if (ONLY.has('timers')) sections.push(`### Timers (bench/timers.ts ${TIMER_REFERRALS})`, '', '```', await runChild('bench/timers.ts', [TIMER_REFERRALS], 420_000), '```', '');
  if (ONLY.has('exports')) sections.push(`### Register exports (bench/exports.ts ${EXPORT_CASES})`, '', '```', await runChild('bench/exports.ts', [EXPORT_CASES], 1_800_000), '```', '');
  sections.push(`Full run: ${((Date.now() - started) / 1000).toFixed(0)} s.`, '');

  const header = '# Benchmarks\n\nWritten by `npm run bench` (bench/run.ts); newest run first. Compare runs on the same machine and load.\n\n';
  const earlier = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8').split('<!-- run -->').slice(1).join('<!-- run -->') : '';
  writeFileSync(RESULTS, `${header}<!-- run -->\n${sections.join('\n')}${earlier ? `\n<!-- run -->${earlier}` : ''}`);
  console.log(`\n${sections.join('\n')}\nwritten to ${RESULTS}`);
}

await main();
