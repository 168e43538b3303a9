import { Command } from 'commander';
import { registerDialogEvalCommand } from './cli/dialog-eval-command.js';
import { registerRoutingCommands } from './cli/routing-commands.js';
import { registerSimCommand } from './cli/sim-command.js';
import { parseConfig, ConfigError } from './config.js';
import { createDb } from './db/client.js';
import { applyMigrations } from './db/migrate.js';
import { loadDirectoryFile } from './directory/load.js';
import { importDirectory } from './directory/store.js';
import { AppError } from './errors.js';
import { MIGRATIONS_DIR } from './paths.js';
import { createStaff, revokeStaffToken } from './staff/create-staff.js';

/** `hotline …`: operator commands. Each prints JSON or one readable line, and exits non-zero on failure. */
const program = new Command('hotline').description('Social-assistance hotline (社会救助一门受理) operator commands');
const config = () => parseConfig(process.env);

async function withDb<T>(fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(config().databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

program
  .command('migrate')
  .description('apply pending database migrations (creates the database if missing)')
  .action(async () => {
    const { applied } = await applyMigrations({ databaseUrl: config().databaseUrl, migrationsDir: MIGRATIONS_DIR });
    console.log(JSON.stringify({ applied }));
  });

program
  .command('directory')
  .description('county directory')
  .command('import')
  .argument('<file>', 'county directory JSON file')
  .description('validate and load a county directory; a file with errors loads nothing')
  .action(async (file: string) => {
    const dir = await loadDirectoryFile(file);
    const summary = await withDb((db) => importDirectory(db, dir));
    console.log(JSON.stringify(summary));
  });

const staff = program.command('staff').description('staff users');
staff
  .command('add')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--role <role>', 'supervisor | duty_officer | township_staff | agency_staff')
  .option('--township <code|name>', 'township code or name, e.g. zaoyuan or 枣园镇 (township_staff)')
  .option('--agency <code|name>', 'agency code or name (agency_staff)')
  .option('--wecom-user-id <id>', 'WeCom member id, for task notices')
  .option('--phone <phone>', 'phone number, for duty calls')
  .description('create a staff user and print { id, token }; the token is shown only once')
  .action(async (opts: { name: string; role: string; township?: string; agency?: string; wecomUserId?: string; phone?: string }) => {
    const created = await withDb((db) => createStaff(db, { ...opts, role: opts.role as never }));
    console.log(JSON.stringify(created));
  });

staff
  .command('revoke')
  .requiredOption('--id <id>', 'the staff user id `hotline staff add` printed')
  .description('end a staff token at once (API, console sign-in and open sessions); prints { id, name, revokedAt }')
  .action(async (opts: { id: string }) => {
    const revoked = await withDb((db) => revokeStaffToken(db, opts, new Date()));
    console.log(JSON.stringify(revoked));
  });

registerRoutingCommands(program, config);
registerDialogEvalCommand(program.commands.find((c) => c.name() === 'eval')!, config);
registerSimCommand(program, config);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Operators get one readable line; HOTLINE_DEBUG=1 shows the stack for a bug report.
  if (err instanceof Error && !process.env.HOTLINE_DEBUG) {
    console.error(`hotline: ${err.message}`);
    process.exit(err instanceof AppError || err instanceof ConfigError ? 2 : 1);
  }
  throw err;
}
