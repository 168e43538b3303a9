import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration } from '../../src/db/migrate.js';

// Runs against the real local PostgreSQL. Every schema this file touches has
// its own random name in the shared `hotline_test` database, so files running
// in parallel (and earlier crashed runs) cannot get in each other's way.
const PG_BASE = process.env.TEST_PG_BASE ?? 'postgresql://postgres@127.0.0.1:5432';
const DATABASE = 'hotline_test';
const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

const suffix = randomBytes(4).toString('hex');
const schemas: string[] = [];
let scratch: string;

/** A fresh schema name for this file, dropped in afterAll. */
function newSchema(label: string): { name: string; url: string } {
  const name = `mig_test_${suffix}_${label}`;
  schemas.push(name);
  return { name, url: `${PG_BASE}/${DATABASE}?schema=${name}` };
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${PG_BASE}/${DATABASE}` });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function tablesIn(schema: string): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((row) => row.table_name);
}

async function migrationFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hotline-migrate-'));
});

afterAll(async () => {
  for (const schema of schemas) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await rm(scratch, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('creates the database schema and every table in a fresh schema', async () => {
    const target = newSchema('fresh');
    const expected = await migrationFolders(MIGRATIONS_DIR);
    expect(expected.length).toBeGreaterThan(0);

    const { applied } = await applyMigrations({ databaseUrl: target.url, migrationsDir: MIGRATIONS_DIR });

    expect(applied).toEqual(expected);
    const tables = await tablesIn(target.name);
    expect(tables).toEqual(expect.arrayContaining(['_prisma_migrations', 'Case', 'Referral', 'Message', 'AuditEvent']));
    // Recorded the way `prisma migrate deploy` records them.
    const recorded = await query<{ migration_name: string; finished_at: Date | null }>(
      `SELECT migration_name, finished_at FROM "${target.name}"._prisma_migrations ORDER BY migration_name`,
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(expected);
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
  });

  it('is idempotent: a second run applies nothing', async () => {
    const target = newSchema('twice');
    const first = await applyMigrations({ databaseUrl: target.url, migrationsDir: MIGRATIONS_DIR });
    expect(first.applied.length).toBeGreaterThan(0);

    const second = await applyMigrations({ databaseUrl: target.url, migrationsDir: MIGRATIONS_DIR });

    expect(second.applied).toEqual([]);
  });

  it('migrates two schemas of one database independently', async () => {
    const a = newSchema('a');
    const b = newSchema('b');
    await applyMigrations({ databaseUrl: a.url, migrationsDir: MIGRATIONS_DIR });
    await query(`DROP TABLE "${a.name}"."AuditEvent"`);

    const { applied } = await applyMigrations({ databaseUrl: b.url, migrationsDir: MIGRATIONS_DIR });

    expect(applied.length).toBeGreaterThan(0);
    expect(await tablesIn(b.name)).toContain('AuditEvent');
    expect(await tablesIn(a.name)).not.toContain('AuditEvent');
  });

  it('names the failing migration and leaves none of its statements behind', async () => {
    const target = newSchema('broken');
    const dir = path.join(scratch, 'broken');
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, '29991231000000_broken'));
    await writeFile(
      path.join(dir, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE "Partial" (id int);\nALTER TABLE "Missing" ADD COLUMN x int;\n',
    );

    await expect(applyMigrations({ databaseUrl: target.url, migrationsDir: dir })).rejects.toThrow(
      /Migration 29991231000000_broken failed on database "hotline_test" schema "mig_test_\w+_broken".*Missing/,
    );
    expect(await tablesIn(target.name)).not.toContain('Partial');
  });
});

describe('createMigration', () => {
  it('returns null when prisma/schema.prisma matches the migrations', async () => {
    const folder = await createMigration({
      databaseUrl: `${PG_BASE}/${DATABASE}`,
      schemaPath: SCHEMA_PATH,
      migrationsDir: MIGRATIONS_DIR,
      name: 'unexpected',
    });

    // Not null means the schema changed without a migration: run `npx tsx scripts/new-migration.ts <name>`.
    expect(folder).toBeNull();
  });

  it('writes a migration for a changed schema that then applies', async () => {
    const dir = path.join(scratch, 'changed');
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const schemaPath = path.join(scratch, 'changed.prisma');
    const datamodel = await readFile(SCHEMA_PATH, 'utf8');
    await writeFile(schemaPath, `${datamodel}\nmodel MigrateTestNote {\n  id   Int    @id\n  body String\n}\n`);

    const folder = await createMigration({
      databaseUrl: `${PG_BASE}/${DATABASE}`,
      schemaPath,
      migrationsDir: dir,
      name: 'add note',
    });

    expect(folder).toMatch(/^\d{14}_add_note$/);
    const sql = await readFile(path.join(dir, folder!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "MigrateTestNote"');
    expect(await readFile(path.join(dir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');

    const target = newSchema('changed');
    const { applied } = await applyMigrations({ databaseUrl: target.url, migrationsDir: dir });
    expect(applied.at(-1)).toBe(folder);
    expect(await tablesIn(target.name)).toContain('MigrateTestNote');
  });
});
