/**
 * Configuration for the stock Prisma CLI. This repository migrates with
 * src/db/migrate.ts (offline); the CLI reads this file where it can reach
 * Prisma's servers, e.g. `prisma migrate deploy` or `prisma migrate status`
 * on a deployment host. `prisma generate` does not need the URL.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Read directly rather than with env(), which throws when DATABASE_URL is unset, as it is for generate.
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hotline' },
});
