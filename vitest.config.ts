import { defineConfig } from 'vitest/config';

/**
 * The unit project: tests that need no database and no Redis (readers, routing, protocols, clocks, dialog transcripts,
 * masking and sealing, the structure checks). Every other test runs in the service project. Test paths mirror src/
 * (test/structure/test-layout.test.ts checks that, and that this list holds exactly the tests that reach neither).
 */
export const UNIT = [
  'test/config.test.ts',
  'test/config-readme.test.ts',
  'test/logging.test.ts',
  'test/startup-lines.test.ts',
  'test/channels/twilio/**/*.test.ts',
  'test/channels/wecom/**/*.test.ts',
  'test/dialogs/*.test.ts',
  'test/dialogs/understand/**/*.test.ts',
  'test/domain/**/*.test.ts',
  'test/intake/in-order.test.ts',
  'test/intake/llm-acts.test.ts',
  'test/jobs/handlers.test.ts',
  'test/privacy/**/*.test.ts',
  'test/referrals/clock/**/*.test.ts',
  'test/routing/**/*.test.ts',
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
