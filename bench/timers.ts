/**
 * Timer load on one machine: 100,000 open referrals (3 ladder timers each) in a throwaway database, in steady
 * state: reminders due from 2 days ago to 38 days ahead, urges a day after, supervisions two days after; those
 * already due are fired rows, the rest pending. Only timers due within the horizon (TIMER_HORIZON_HOURS, 24 h by
 * default) are BullMQ jobs. Measures the Redis memory those jobs take, how long rebuilding them from PostgreSQL
 * takes (into an empty Redis, as after FLUSHALL, and again as the periodic sweep when nothing is missing), the same
 * for every pending timer in Redis (no horizon, as before it), and how late timers fire while the service takes in
 * cases, creates their referrals and sends their announcements; last, the rebuild after Redis loses the bench's keys
 * while all that runs. BENCH_TIMERS_NO_HORIZON=0 skips the comparison without a horizon (the longest part).
 *
 *   npx tsx bench/timers.ts [referrals=100000]
 *
 * Needs the local PostgreSQL and Redis (logical database 14, keys under a prefix of its own, removed after);
 * WeCom is the local fake. Everything runs in this one process, web and worker alike. Memory is the sum of MEMORY
 * USAGE over the timer queue's keys; INFO used_memory, server-wide, is shown beside it (other work on the Redis
 * server shows there).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { buildDeps } from '../src/composition.js';
import { parseConfig } from '../src/config.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createJobs, type Jobs } from '../src/jobs/create-jobs.js';
import { createLogger } from '../src/logging.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { createReferrals } from '../src/referrals/create.js';
import { applyCalendarChanges } from '../src/referrals/recalendar.js';
import { startFakeWecom } from '../test/fakes/wecom-api.js';

const REFERRALS = Number(process.argv[2] ?? 100_000);
/** Timers coming due while the service works: 5 a second, then a burst of 50 a second (a county sees a few a minute). */
const WINDOW_MS = 20_000;
const STEADY_TIMERS = 100;
const BURST_TIMERS = 1000;
/** Intake meanwhile: 5 cases a second (two referrals each), some hundred times a county hotline's pace. */
const CASES_PER_SECOND = 5;
const PG_BASE = process.env.TEST_PG_BASE ?? 'postgresql://postgres@127.0.0.1:5432';
const REDIS_URL = 'redis://127.0.0.1:6379/14';

const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `hotline_bench_${id}`;
const databaseUrl = `${PG_BASE}/${dbName}`;
const rows: [string, string][] = [];
const row = (what: string, value: string) => {
  rows.push([what, value]);
  console.error(`  ${what}: ${value}`);
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function dropDatabase() {
  const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/**
 * Inserts `n` signed referrals of one township with a timer per step (a day apart), the first due from `firstDue` over
 * `spreadMs`, in SQL. Timers due before `firedBefore` are stored as fired (at their due time), as the sweep leaves them.
 */
async function seed(sql: pg.Client, prefix: string, n: number, townshipId: string, firstDue: Date, spreadMs: number, steps: string[], firedBefore?: Date) {
  await sql.query(
    `WITH c AS (
       INSERT INTO "Case" (id, "trackingNumber", type, status, channel, "updatedAt")
       SELECT gen_random_uuid(), $1 || lpad(g::text, 9, '0'), 'application', 'routed', 'sms', now() AT TIME ZONE 'UTC'
       FROM generate_series(1, $2::int) g RETURNING id, "trackingNumber"),
     r AS (
       INSERT INTO "Referral" (id, "caseId", "trackingNumber", category, role, step, "unitKind", "townshipId", status,
                               "signDueAt", "dueAt", "dispatchedAt", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), c.id, c."trackingNumber" || '-1', 'minimum_living', 'lead', 'investigate', 'township', $3::uuid, 'signed',
              now() AT TIME ZONE 'UTC', ($4::timestamptz AT TIME ZONE 'UTC') + random() * $5::double precision * interval '1 millisecond',
              now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
       FROM c RETURNING id, "dueAt")
     INSERT INTO "ReferralTimer" (id, "referralId", step, "dueAt", "firedAt")
     SELECT gen_random_uuid(), r.id, s.step, d.due, CASE WHEN d.due < ($7::timestamptz AT TIME ZONE 'UTC') THEN d.due END
     FROM r CROSS JOIN unnest($6::text[]) WITH ORDINALITY AS s(step, n)
     CROSS JOIN LATERAL (SELECT r."dueAt" + (s.n - 1) * interval '1 day' AS due) d`,
    [prefix, n, townshipId, firstDue.toISOString(), spreadMs, steps, (firedBefore ?? new Date(0)).toISOString()],
  );
}

/** Redis memory of one queue's keys (jobs, their sets, its event stream), by MEMORY USAGE. */
async function queueMemory(redis: Redis, prefix: string, queue: string): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  for (let cursor = '0'; ; ) {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:${queue}:*`, 'COUNT', 10_000);
    const sizes = await Promise.all(found.map((k) => redis.memory('USAGE', k, 'SAMPLES', '0')));
    bytes += sizes.reduce<number>((a, b) => a + Number(b ?? 0), 0);
    keys += found.length;
    if ((cursor = next) === '0') break;
  }
  return { bytes, keys };
}

async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 10_000);
    if (keys.length > 0) await redis.unlink(...keys);
    if ((cursor = next) === '0') break;
  }
}

async function main() {
  const wecom = await startFakeWecom({ corpId: 'wwbench', secret: 'bench' });
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
  const config = parseConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: `bench_${id}`,
    LOG_LEVEL: 'warn',
    WECOM_CORP_ID: 'wwbench',
    WECOM_TOKEN: 'bench',
    WECOM_ENCODING_AES_KEY: 'b'.repeat(43),
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'bench',
    WECOM_API_BASE_URL: wecom.url,
    // The horizon under test: the default unless TIMER_HORIZON_HOURS is set for the bench.
    TIMER_HORIZON_HOURS: process.env.TIMER_HORIZON_HOURS,
  });
  // Logs go to stderr: stdout is the result table, which bench/run.ts copies into bench/results.md.
  const deps = await buildDeps(config, { logger: createLogger(config.logLevel, pino.destination(2)) });
  const jobs = createJobs(deps);
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const township = deps.directory.townshipId('zaoyuan')!;
    // The county's calendar, recorded as the one its deadlines are counted on (as in a running county); otherwise the
    // first worker start would count every seeded deadline again, one transaction per referral.
    await applyCalendarChanges({ ...deps, ...jobs.ports }, new Date());
    console.error(`seeding ${REFERRALS} referrals…`);
    let t = performance.now();
    // Steady state: the first reminders came due 2 days ago (fired, like the urges after them), the last is 38 days
    // off; nothing pending is due in the next 10 minutes, so only the lateness timers below fire during the bench.
    const seededAt = Date.now();
    await seed(sql, 'A', REFERRALS, township, new Date(seededAt - 2 * 86_400_000), 40 * 86_400_000, ['reminder', 'urge', 'supervise'], new Date(seededAt + 600_000));
    await sql.query('ANALYZE');
    const counts = (await sql.query<{ pending: string; fired: string }>(`SELECT count(*) FILTER (WHERE "firedAt" IS NULL) AS pending, count(*) FILTER (WHERE "firedAt" IS NOT NULL) AS fired FROM "ReferralTimer"`)).rows[0]!;
    row('referrals / timers seeded', `${REFERRALS} / ${REFERRALS * 3} (${counts.pending} pending, ${counts.fired} fired) in ${seconds(performance.now() - t)}`);

    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await deps.redis.info('memory'))?.[1]);
    /** Rebuilds into an empty Redis with `j`, then sweeps again with nothing missing; reports time and memory. */
    const rebuildRows = async (j: Jobs, prefix: string, label: string) => {
      const before = await usedMemory();
      let t0 = performance.now();
      const rebuilt = await j.rebuildTimers();
      const rebuildMs = performance.now() - t0;
      const info = (await usedMemory()) - before;
      const mem = await queueMemory(deps.redis, prefix, 'timers');
      row(`${label}: rebuild into an empty Redis`, `${rebuilt.timers} jobs in ${seconds(rebuildMs)} (${Math.round(rebuilt.timers / (rebuildMs / 1000))} jobs/s)`);
      row(`${label}: Redis memory for the timer jobs`, `${mb(mem.bytes)} (${Math.round(mem.bytes / Math.max(1, rebuilt.timers))} bytes per job; INFO used_memory +${mb(info)})`);
      t0 = performance.now();
      const again = await j.rebuildTimers();
      row(`${label}: periodic sweep, nothing missing`, `${seconds(performance.now() - t0)} (${again.added} added)`);
    };
    const hours = Math.round(config.timerHorizonMs / 3_600_000);
    await rebuildRows(jobs, config.redis.prefix, `horizon ${hours} h`);
    // As before the horizon, for comparison: every pending timer a job, under a prefix of its own, removed after.
    if (process.env.BENCH_TIMERS_NO_HORIZON !== '0') {
      const allPrefix = `${config.redis.prefix}_all`;
      const all = createJobs({ ...deps, config: { ...config, redis: { ...config.redis, prefix: allPrefix } } }, { timerHorizonMs: 100 * 365 * 86_400_000 });
      try {
        await rebuildRows(all, allPrefix, 'no horizon (every pending timer)');
      } finally {
        await all.close();
        await dropKeys(deps.redis, allPrefix);
      }
    }

    await jobs.startWorkers();
    // Meanwhile: intake keeps creating referrals (two per case), each with its timers and announcement.
    const refDeps = { ...deps, ...jobs.ports };
    let stop = false;
    let created = 0;
    const loadStart = performance.now();
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const next = loadStart + (i * 1000) / CASES_PER_SECOND;
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        const c = await deps.db.case.create({
          data: { trackingNumber: `L${String(i).padStart(9, '0')}`, type: 'application', status: 'accepted', channel: 'sms', townshipId: township },
        });
        await createReferrals(refDeps, {
          caseId: c.id,
          caseTrackingNumber: c.trackingNumber,
          caseType: 'application',
          urgent: false,
          now: new Date(),
          planned: [
            { category: 'minimum_living', role: 'assist', step: 'investigate', unit: { kind: 'township', code: 'zaoyuan' } },
            { category: 'minimum_living', role: 'lead', step: 'handle', unit: { kind: 'agency', code: 'minzheng' } },
          ],
        });
        created += 1;
      }
    })();

    /** Reminders due over the next `windowMs` on referrals the worker really fires (a transaction and a WeCom message each). */
    const lateness = async (prefix: string, count: number, windowMs: number) => {
      await seed(sql, prefix, count, township, new Date(Date.now() + 3000), windowMs, ['reminder']);
      const phase = `FROM "ReferralTimer" t JOIN "Referral" r ON r.id = t."referralId" WHERE r."trackingNumber" LIKE '${prefix}%'`;
      const armed = await sql.query<{ referralId: string; dueAt: Date }>(`SELECT t."referralId", t."dueAt" ${phase}`);
      await jobs.ports.timers.apply({ armed: armed.rows.map((r) => ({ referralId: r.referralId, step: 'reminder', dueAt: r.dueAt })), disarmed: [] });
      const deadline = Date.now() + 3000 + windowMs + 30_000;
      while (Date.now() < deadline) {
        const fired = Number((await sql.query(`SELECT count(*) ${phase} AND t."firedAt" IS NOT NULL`)).rows[0].count);
        if (fired >= count) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const ms = (await sql.query<{ ms: number }>(`SELECT extract(epoch FROM t."firedAt" - t."dueAt") * 1000 AS ms ${phase} AND t."firedAt" IS NOT NULL`)).rows
        .map((r) => Number(r.ms))
        .sort((a, b) => a - b);
      row(
        `lateness, ${count} timers in ${windowMs / 1000} s: p50 / p99 / max`,
        `${pct(ms, 50).toFixed(0)} / ${pct(ms, 99).toFixed(0)} / ${(ms.at(-1) ?? NaN).toFixed(0)} ms (${ms.length} fired)`,
      );
    };
    await lateness('B', STEADY_TIMERS, WINDOW_MS);
    await lateness('C', BURST_TIMERS, WINDOW_MS);
    // Redis loses the data (every key of this deployment's prefix, as FLUSHALL would) while workers and intake run.
    await dropKeys(deps.redis, config.redis.prefix);
    t = performance.now();
    const restored = await jobs.rebuildTimers();
    row(`horizon ${hours} h: rebuild after Redis lost its data, while serving`, `${restored.timers} jobs (${restored.overdue} overdue) in ${seconds(performance.now() - t)}`);
    stop = true;
    await load;
    const loadSeconds = (performance.now() - loadStart) / 1000;
    row('intake meanwhile', `${created} cases → ${created * 2} referrals (${(created / loadSeconds).toFixed(1)} cases/s), ${wecom.sent.length} WeCom messages sent`);
  } finally {
    await sql.end();
    await jobs.close();
    // The bench's keys go with it: every key under its own prefix.
    await dropKeys(deps.redis, config.redis.prefix);
    await deps.close();
    await wecom.close();
    await dropDatabase();
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nTimers bench (${REFERRALS} open referrals, horizon ${config.timerHorizonMs / 3_600_000} h, ${process.platform} ${process.arch}, node ${process.version})`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

await main();
