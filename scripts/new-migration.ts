/**
 * Writes a new migration for the changes in prisma/schema.prisma:
 *   npx tsx scripts/new-migration.ts <name>
 * Runs offline (see src/db/migrate.ts); DATABASE_URL only names the PostgreSQL
 * server that hosts the temporary shadow database.
 */
import { fileURLToPath } from 'node:url';
import { createMigration, DEFAULT_DATABASE_URL } from '../src/db/migrate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const name = process.argv[2];
if (!name || process.argv.length > 3) {
  console.error('usage: npx tsx scripts/new-migration.ts <name>   (e.g. add_case_notes)');
  process.exit(2);
}

try {
  const folder = await createMigration({
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    schemaPath: `${root}prisma/schema.prisma`,
    migrationsDir: `${root}prisma/migrations`,
    name,
  });
  console.log(folder ? `created prisma/migrations/${folder}/migration.sql` : 'no changes: prisma/schema.prisma matches the migrations');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
