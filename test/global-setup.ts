import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { createDb } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { loadDirectoryFile } from '../src/directory/load.js';
import { importDirectory } from '../src/directory/store.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { ADMIN_URL, databaseUrl } from './helpers/pg.js';

/**
 * Migrates one template database per test run; each test file then clones it
 * (CREATE DATABASE … TEMPLATE), which is fast and gives full isolation.
 */
export default async function setup(project: TestProject) {
  const template = `hotline_tpl_${process.pid}_${Date.now().toString(36)}`;
  await applyMigrations({ databaseUrl: databaseUrl(template), migrationsDir: MIGRATIONS_DIR });
  // The demo county is in the template too, so each file's clone starts with it instead of importing it again.
  const db = createDb(databaseUrl(template));
  try {
    await importDirectory(db, await loadDirectoryFile('data/counties/lanshan.json'));
  } finally {
    await db.$disconnect();
  }
  project.provide('templateDatabase', template);
  return async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
