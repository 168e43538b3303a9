/**
 * Memory of the register exports (台账) under load: a large county (cases and one referral each, default 100,000) in
 * a throwaway database, one hotline process (bench/http-server.ts), six exports at once over HTTP (cases and
 * referrals, CSV and XLSX, masked and in full). The server's resident memory is sampled every 50 ms from
 * /proc/PID/status. The aim: six exports add under 300 MB to the process, whatever the county's size, as rows are
 * paged and streamed (the process holds some 250-350 MB before any export: modules, the routing model, Prisma). A
 * second pass reads the six downloads slowly (as over a county office's line), where a writer that did not wait for
 * its client would hold the whole file; in it the heap still in use after a full collection is sampled every 2 s, the
 * memory the exports really hold (the rest of the RSS growth is garbage V8 has not collected yet). A third pass runs
 * the fast one again on a process started with a heap limit (--max-old-space-size, BENCH_EXPORT_HEAP_MB, default 256),
 * where V8 collects sooner: what an operator's NODE_OPTIONS would make of the same load.
 *
 *   npx tsx bench/exports.ts [cases=100000]     # BENCH_EXPORT_SLOW_KBPS (default 2048) sets the slow pass's pace
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { createPersonalDataCipher } from '../src/privacy/cipher.js';
import { createStaff } from '../src/staff/create-staff.js';
import { PG_BASE, admin, dropRedisPrefix } from './scratch-stores.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CASES = Number(process.argv[2] ?? 100_000);
const AIM_MB = 300;
const SLOW_BPS = Number(process.env.BENCH_EXPORT_SLOW_KBPS ?? 2048) * 1024;
const HEAP_MB = Number(process.env.BENCH_EXPORT_HEAP_MB ?? 256);
const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `hotline_bench_exports_${id}`;
const databaseUrl = `${PG_BASE}/${dbName}`;
const prefix = `bench_exports_${id}`;
const dataKey = randomBytes(32);
const MB = 2 ** 20;


/** Cases spread over every township, one referral each; ID numbers encrypted as the service stores them. */
async function seed(): Promise<void> {
  const cipher = createPersonalDataCipher(dataKey);
  const ids = Array.from({ length: 1000 }, (_, i) => cipher.encrypt(`371302195001${String(1000 + i).slice(-4)}00${i % 10}X`));
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO "Case" (id, "trackingNumber", type, status, categories, channel, "applicantName", "idNumberEnc", "idNumberMasked", phone, "townshipId", address, reason, "householdSize", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), 'B' || lpad(g::text, 11, '0'), 'application', 'routed', ARRAY['minimum_living', 'medical'], 'sms', '居民' || g, ($1::text[])[1 + g % 1000],
              '371***********' || lpad((g % 10000)::text, 4, '0'), '138' || lpad(g::text, 8, '0'), t.ids[1 + g % cardinality(t.ids)], '东鲁村' || (g % 300) || '号',
              CASE WHEN g % 4 = 0 THEN '老伴瘫痪在床，儿子在外打工，有事打幺三八' || lpad(g::text, 8, '0') ELSE '老伴瘫痪在床，家里没有收入，孩子上学要用钱' END, 1 + g % 6,
              now() - (g || ' minutes')::interval, now()
         FROM generate_series(1, $2::int) g, (SELECT array_agg(id) AS ids FROM "Township") t`,
      [ids, CASES],
    );
    await c.query(
      `INSERT INTO "Referral" (id, "caseId", "trackingNumber", category, role, step, "unitKind", "townshipId", status, "signDueAt", "dueAt", "dispatchedAt", "feedbackResult", "updatedAt")
       SELECT gen_random_uuid(), c.id, c."trackingNumber" || '-1', 'minimum_living', 'lead', 'investigate', 'township', c."townshipId", 'dispatched',
              c."createdAt" + interval '1 day', c."createdAt" + interval '15 days', c."createdAt", '已入户调查，材料齐全', now()
         FROM "Case" c`,
    );
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

type Heap = { heapUsed: number; rss: number };
type Server = { url: string; pid: number; heap(): Promise<Heap>; stop(): Promise<void> };

function startServer(flags: string[] = []): Promise<Server> {
  const child = fork(join(ROOT, 'bench/http-server.ts'), [], {
    execArgv: ['--expose-gc', ...flags, '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_REDIS_PREFIX: prefix,
      BENCH_DATA_KEY: dataKey.toString('base64'),
      // No message is sent: the providers are never called.
      BENCH_TWILIO_API: 'http://127.0.0.1:9',
      BENCH_WECOM_API: 'http://127.0.0.1:9',
    },
  });
  child.on('exit', (code, signal) => console.error(`bench server exited (code ${code}, signal ${signal})`));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)));
    child.once('message', (m: { url: string }) =>
      resolve({
        url: m.url,
        pid: child.pid!,
        heap: () =>
          new Promise<Heap>((done) => {
            if (!child.connected) return done({ heapUsed: 0, rss: 0 });
            const on = (h: Heap & { type: string }) => {
              if (h.type !== 'heap') return;
              child.off('message', on);
              done(h);
            };
            child.on('message', on);
            child.send({ type: 'heap' });
          }),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.send({ type: 'stop' });
          }),
      }),
    );
  });
}

/** Resident memory of a process in bytes (Linux), and its peak since it started. */
function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

type Export = { label: string; path: string; full: boolean };
const EXPORTS: Export[] = [
  { label: 'cases.csv', path: '/api/v1/exports/cases.csv', full: false },
  { label: 'cases.xlsx', path: '/api/v1/exports/cases.xlsx', full: false },
  { label: 'referrals.csv', path: '/api/v1/exports/referrals.csv', full: false },
  { label: 'referrals.xlsx', path: '/api/v1/exports/referrals.xlsx', full: false },
  { label: 'cases.csv in full', path: '/api/v1/exports/cases.csv', full: true },
  { label: 'cases.xlsx in full', path: '/api/v1/exports/cases.xlsx', full: true },
];
type Done = { label: string; status: number; bytes: number; lines: number; ms: number };

/** Downloads one export, at most `bps` bytes a second when given (the client pauses the socket between reads). */
function download(base: string, token: string, e: Export, bps?: number): Promise<Done> {
  const started = Date.now();
  const body = e.full ? JSON.stringify({ reason: '性能测试：年度核对' }) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${e.path}`,
      { method: e.full ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let bytes = 0;
        let lines = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
          if (bps) {
            const ahead = bytes / bps - (Date.now() - started) / 1000;
            if (ahead > 0) {
              res.pause();
              setTimeout(() => res.resume(), ahead * 1000);
            }
          }
        });
        res.on('end', () => resolve({ label: e.label, status: res.statusCode ?? 0, bytes, lines, ms: Date.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function pass(server: Server, token: string, opts: { bps?: number; liveHeap?: boolean } = {}) {
  let peak = 0;
  let live = 0;
  const sample = () => (peak = Math.max(peak, memoryOf(server.pid)?.rss ?? 0));
  const timer = setInterval(sample, 50);
  const heap = opts.liveHeap ? setInterval(() => void server.heap().then((h) => (live = Math.max(live, h.heapUsed))), 2000) : undefined;
  const started = Date.now();
  const done = await Promise.all(EXPORTS.map((e) => download(server.url, token, e, opts.bps)));
  clearInterval(timer);
  clearInterval(heap);
  sample();
  return { done, peak, live, ms: Date.now() - started };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const table = (done: Done[]) =>
  done.map((d) => {
    const csv = d.label.includes('.csv');
    // A CSV has one line per row and one for the header; no bench cell holds a line break.
    const rows = csv ? `${d.lines - 1} rows${d.lines - 1 === CASES ? '' : ` (expected ${CASES})`}` : 'xlsx';
    return `  ${d.label.padEnd(20)} ${d.status}  ${rows.padEnd(12)} ${(d.bytes / MB).toFixed(1).padStart(6)} MB  ${(d.ms / 1000).toFixed(1).padStart(6)} s`;
  });

/** The export code compiled and the pool's connections open; then the process's memory before any export. */
async function warmUp(server: Server, token: string) {
  await download(server.url, token, { label: 'warm-up', path: '/api/v1/exports/visits.xlsx', full: false });
  await download(server.url, token, { label: 'warm-up', path: '/api/v1/exports/roster.csv', full: false });
  return { rss: memoryOf(server.pid)?.rss ?? 0, heap: (await server.heap()).heapUsed };
}

async function main() {
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
  // The first start loads the county directory, which the seed spreads the cases over.
  let server = await startServer();
  const db = createDb(databaseUrl);
  try {
    const seeding = Date.now();
    await seed();
    const seeded = Date.now() - seeding;
    const { token } = await createStaff(db, { name: '县督办 性能测试', role: 'supervisor' });
    const idle = await warmUp(server, token);
    console.error(`seeded in ${(seeded / 1000).toFixed(0)} s; server RSS ${mb(idle.rss)}, heap in use ${mb(idle.heap)}`);
    const fast = await pass(server, token);
    console.error(`fast pass: ${(fast.ms / 1000).toFixed(1)} s, peak RSS ${mb(fast.peak)}\n${table(fast.done).join('\n')}`);
    const slow = await pass(server, token, { bps: SLOW_BPS, liveHeap: true });
    console.error(`slow pass: ${(slow.ms / 1000).toFixed(1)} s, peak RSS ${mb(slow.peak)}, live heap ${mb(slow.live)}`);
    const hwm = memoryOf(server.pid)?.hwm;
    await server.stop();
    server = await startServer([`--max-old-space-size=${HEAP_MB}`]);
    const cappedIdle = await warmUp(server, token);
    const capped = await pass(server, token);
    console.error(`heap-limited pass: ${(capped.ms / 1000).toFixed(1)} s, peak RSS ${mb(capped.peak)}`);
    const ok = [...fast.done, ...slow.done, ...capped.done].every((d) => d.status === 200 && (!d.label.includes('.csv') || d.lines - 1 === CASES));
    const verdict = (peak: number, before: number) =>
      peak && before ? `peak RSS ${mb(peak)}, ${mb(peak - before)} above idle (${((peak - before) / (AIM_MB * MB)).toFixed(2)} of the ${AIM_MB} MB aim)` : 'RSS not sampled (no /proc)';
    console.log(
      [
        `Exports (bench/exports.ts ${CASES}): ${CASES} cases and ${CASES} referrals (seeded in ${(seeded / 1000).toFixed(0)} s), one server process, node ${process.version}`,
        `server before any export (after a warm-up): RSS ${idle.rss ? mb(idle.rss) : 'not sampled (no /proc)'}, heap in use ${mb(idle.heap)}`,
        `6 exports at once, read as fast as they come: ${(fast.ms / 1000).toFixed(1)} s, ${verdict(fast.peak, idle.rss)}`,
        ...table(fast.done),
        `6 exports at once, each read at ${(SLOW_BPS / 1024).toFixed(0)} kB/s: ${(slow.ms / 1000).toFixed(1)} s, ${verdict(slow.peak, idle.rss)}; heap in use after a collection at most ${mb(slow.live)} (${mb(slow.live - idle.heap)} above idle)`,
        ...table(slow.done),
        `server's peak RSS over both passes (VmHWM)  ${hwm ? mb(hwm) : 'not sampled'}`,
        `the same 6 at once on a process started with --max-old-space-size=${HEAP_MB} (idle RSS ${mb(cappedIdle.rss)}): ${(capped.ms / 1000).toFixed(1)} s, ${verdict(capped.peak, cappedIdle.rss)}`,
        ...table(capped.done),
        ok ? 'every export complete (status 200, every CSV with every row)' : 'SOME EXPORTS INCOMPLETE: see the rows above',
      ].join('\n'),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await db.$disconnect();
    await server.stop();
    await dropRedisPrefix(prefix);
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

main().catch(async (err) => {
  console.error(err);
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  process.exit(1);
});
