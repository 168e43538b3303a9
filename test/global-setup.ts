import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { ADMIN_URL, databaseUrl } from './helpers/pg.js';

/**
 * Migrates one template database per test run; each test file then clones it
 * (CREATE DATABASE … TEMPLATE), which is fast and gives full isolation.
 */
export default async function setup(project: TestProject) {
  const template = `hotline_tpl_${process.pid}_${Date.now().toString(36)}`;
  await applyMigrations({ databaseUrl: databaseUrl(template), migrationsDir: MIGRATIONS_DIR });
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
