import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { ADMIN_URL, databaseUrl, query } from '../helpers/pg.js';

/** The migration to UnitReport keeps the reports stored under the old MonthlyReport's `month` key. */

const MIGRATION = '20261122101302_unit_report_periods';
const name = `hotline_t_${randomBytes(5).toString('hex')}`;
const url = databaseUrl(name);
let scratch: string | undefined;

afterAll(async () => {
  await query(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('carries monthly (YYYY-MM) and daily (YYYY-MM-DD) rows over with their period kind and start date', async () => {
  // The migrations as they stood before this one.
  scratch = await mkdtemp(path.join(tmpdir(), 'hotline-unit-report-'));
  for (const entry of await readdir(MIGRATIONS_DIR)) {
    if (entry < MIGRATION) await cp(path.join(MIGRATIONS_DIR, entry), path.join(scratch, entry), { recursive: true });
  }
  await cp(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(scratch, 'migration_lock.toml'));
  await applyMigrations({ databaseUrl: url, migrationsDir: scratch });
  const figures = JSON.stringify({ received: 3, overdue: 1 });
  await query(
    url,
    `INSERT INTO "MonthlyReport" (id, month, "unitKind", "unitCode", figures, "generatedAt") VALUES
       ('0190a000-0000-7000-8000-000000000001', '2026-10', 'township', 'zaoyuan', $1, '2026-11-15T06:00:00Z'),
       ('0190a000-0000-7000-8000-000000000002', '2026-10-01', 'township', 'zaoyuan', $1, '2026-10-01T16:05:00Z')`,
    [figures],
  );

  const { applied } = await applyMigrations({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR });

  expect(applied[0]).toBe(MIGRATION);
  const rows = await query<{ period: string; start: string; unitCode: string; figures: unknown; generatedAt: string }>(
    url,
    `SELECT period::text, to_char("periodStart", 'YYYY-MM-DD') AS start, "unitCode", figures, to_char("generatedAt", 'YYYY-MM-DD HH24:MI') AS "generatedAt" FROM "UnitReport" ORDER BY "generatedAt" DESC`,
  );
  expect(rows).toEqual([
    { period: 'month', start: '2026-10-01', unitCode: 'zaoyuan', figures: { received: 3, overdue: 1 }, generatedAt: '2026-11-15 06:00' },
    { period: 'day', start: '2026-10-01', unitCode: 'zaoyuan', figures: { received: 3, overdue: 1 }, generatedAt: '2026-10-01 16:05' },
  ]);
  expect(await query(url, `SELECT to_regclass('"MonthlyReport"') AS t`)).toEqual([{ t: null }]);
});
