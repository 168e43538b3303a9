import { defineConfig } from 'vitest/config';

/** Pure functions only (readers, routing, protocols, clocks, the structure checks): no database, no Redis. */
const UNIT = [
  'test/understand/**/*.test.ts',
  'test/routing/**/*.test.ts',
  'test/channels-protocol/**/*.test.ts',
  'test/clock/**/*.test.ts',
  'test/structure/**/*.test.ts',
];

export default defineConfig({
  test: {
    // Files isolate themselves (own database schema, own Redis prefix) so they may run in parallel.
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // `npm run test:unit`: seconds, and nothing to start.
      { extends: true, test: { name: 'unit', include: UNIT } },
      // Against the machine's PostgreSQL and Redis: the template database is migrated once per run.
      { extends: true, test: { name: 'service', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], exclude: UNIT, globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
