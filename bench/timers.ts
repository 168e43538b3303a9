/**
 * Timer load on one machine: 100,000 open referrals (3 ladder timers each) in a throwaway database.
 * Measures the Redis memory the delayed jobs take, how long rebuilding every timer from PostgreSQL takes
 * (into an empty Redis, and again as the periodic sweep when nothing is missing), and how late timers fire
 * while the service takes in cases, creates their referrals and sends their announcements.
 *
 *   npx tsx bench/timers.ts [referrals=100000]
 *
 * Needs the local PostgreSQL and Redis (logical database 14, keys under a prefix of its own, removed after);
 * WeCom is the local fake. Everything runs in this one process, web and worker alike. INFO memory is
 * server-wide: run it while nothing else writes to Redis for a clean figure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildDeps } from '../src/composition.js';
import { parseConfig } from '../src/config.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createJobs } from '../src/jobs/create-jobs.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { createReferrals } from '../src/referrals/create.js';
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

/** Inserts `n` signed referrals of one township with a timer per step, due from `firstDue` over `spreadMs`, in SQL. */
async function seed(sql: pg.Client, prefix: string, n: number, townshipId: string, firstDue: Date, spreadMs: number, steps: string[]) {
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
     INSERT INTO "ReferralTimer" (id, "referralId", step, "dueAt")
     SELECT gen_random_uuid(), r.id, s.step, r."dueAt" + (s.n - 1) * interval '1 day'
     FROM r CROSS JOIN unnest($6::text[]) WITH ORDINALITY AS s(step, n)`,
    [prefix, n, townshipId, firstDue.toISOString(), spreadMs, steps],
  );
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
  });
  const deps = await buildDeps(config);
  const jobs = createJobs(deps);
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const township = deps.directory.townshipId('zaoyuan')!;
    console.error(`seeding ${REFERRALS} referrals…`);
    let t = performance.now();
    // Due 2–40 days ahead, so every timer is a delayed job.
    await seed(sql, 'A', REFERRALS, township, new Date(Date.now() + 2 * 86_400_000), 38 * 86_400_000, ['reminder', 'urge', 'supervise']);
    await sql.query('ANALYZE');
    row('referrals / pending timers seeded', `${REFERRALS} / ${REFERRALS * 3} in ${seconds(performance.now() - t)}`);

    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await deps.redis.info('memory'))?.[1]);
    const before = await usedMemory();
    t = performance.now();
    const rebuilt = await jobs.rebuildTimers();
    const rebuildMs = performance.now() - t;
    row('rebuild into an empty Redis', `${rebuilt.timers} jobs in ${seconds(rebuildMs)} (${Math.round(rebuilt.timers / (rebuildMs / 1000))} jobs/s)`);
    const after = await usedMemory();
    row('Redis memory for the timer jobs', `${mb(after - before)} (${Math.round((after - before) / rebuilt.timers)} bytes per job)`);
    t = performance.now();
    await jobs.rebuildTimers();
    row('periodic sweep, nothing missing', seconds(performance.now() - t));

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
    stop = true;
    await load;
    const loadSeconds = (performance.now() - loadStart) / 1000;
    row('intake meanwhile', `${created} cases → ${created * 2} referrals (${(created / loadSeconds).toFixed(1)} cases/s), ${wecom.sent.length} WeCom messages sent`);
  } finally {
    await sql.end();
    await jobs.close();
    // The bench's keys go with it: every key under its own prefix.
    for (let cursor = '0'; ; ) {
      const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${config.redis.prefix}:*`, 'COUNT', 10_000);
      if (keys.length > 0) await deps.redis.unlink(...keys);
      if ((cursor = next) === '0') break;
    }
    await deps.close();
    await wecom.close();
    await dropDatabase();
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nTimers bench (${REFERRALS} open referrals, ${process.platform} ${process.arch}, node ${process.version})`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

await main();
