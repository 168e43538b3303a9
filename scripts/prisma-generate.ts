/**
 * `prisma generate` that works offline:
 *   npx tsx scripts/prisma-generate.ts [extra prisma generate flags]
 * The CLI downloads its native schema engine before every command, from a host
 * this machine cannot reach. `generate` with the `prisma-client` generator never
 * uses that engine, and the CLI skips the download when
 * PRISMA_SCHEMA_ENGINE_BINARY names an existing file, so we point it at node.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const prisma = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'prisma.cmd' : 'prisma');
if (!existsSync(prisma)) {
  console.error(`prisma-generate: ${prisma} is missing; install the project's dependencies first (npm ci).`);
  process.exit(1);
}

// npm start and npm test run this first: skip it, silently, when the client already matches the schema.
const schemaHash = createHash('sha256')
  .update(readFileSync(path.join(root, 'prisma', 'schema.prisma')))
  .update(readFileSync(path.join(root, 'node_modules', 'prisma', 'package.json')))
  .digest('hex');
const stamp = path.join(root, 'src', 'generated', 'prisma', '.schema-hash');
if (process.argv.length === 2 && existsSync(stamp) && readFileSync(stamp, 'utf8') === schemaHash) process.exit(0);

const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
const result = spawnSync(prisma, ['generate', ...process.argv.slice(2)], {
  cwd: root,
  // Output is shown only when generation fails, so the service's own first lines come first.
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: configured && existsSync(configured) ? configured : process.execPath,
    // The update check and telemetry call Prisma's servers; unreachable here, they only add delay.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});

if (result.error) {
  console.error(`prisma-generate: could not run ${prisma}: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) {
  process.stderr.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.status}`;
  console.error(`prisma-generate: prisma generate ${how}; the messages above say why. Nothing was generated.`);
  process.exit(result.status || 1);
}
writeFileSync(stamp, schemaHash);
