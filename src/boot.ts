// Only what the first checks need is imported up front, so a stopped service or a bad
// variable is reported within seconds; the rest of the service loads after them.
import { parseConfig, ConfigError, type Config } from './config.js';
import { createLogger } from './logging.js';
import { MIGRATIONS_DIR } from './paths.js';
import { preflight } from './preflight.js';
import { startupLines } from './startup-lines.js';

/**
 * Boots a process: the HTTP server, the job workers, or both (npm start).
 * Problems a new user can fix (config, a stopped service) end it with one
 * readable line and exit code 1, not a stack trace.
 */
export async function boot(roles: { http: boolean; workers: boolean }): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const problems = await preflight({ databaseUrl: config.databaseUrl, redisUrl: config.redis.url });
  if (problems.length > 0) return fail(problems.join('\n'));

  const [{ applyMigrations }, { buildDeps }, { buildApp }] = await Promise.all([
    import('./db/migrate.js'),
    import('./composition.js'),
    import('./server/app.js'),
  ]);
  const { applied } = await applyMigrations({ databaseUrl: config.databaseUrl, migrationsDir: MIGRATIONS_DIR });
  // Logged after the first lines, which say where the hotline listens and which county it serves.
  const startupNotes: [object, string][] = [];
  const startupWarnings: [object, string][] = [];
  if (applied.length > 0) startupNotes.push([{ applied }, 'database migrations applied']);
  const deps = await buildDeps(config, {
    logger,
    onDirectoryImported: (summary) => startupNotes.push([summary, 'county directory loaded into an empty database']),
    onStartupWarning: (data, msg) => startupWarnings.push([data, msg]),
  });
  const app = roles.http ? await buildApp(deps) : undefined;
  const workers = roles.workers && config.runWorkers;
  // Every process drains its own spool and resumes turns that never finished (e.g. Redis was down).
  const recovery = setInterval(() => {
    deps.intake.recover().catch((err: unknown) => logger.warn({ err }, 'intake recovery failed; will retry'));
  }, 10_000);
  // Registered before anything is started, so a stop during start-up still closes cleanly.
  let closing = false;
  let started: Promise<unknown> = Promise.resolve();
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    clearInterval(recovery);
    // A stop during start-up waits for the workers to have started, so closing them does not race their start.
    await started.catch(() => undefined);
    try {
      await app?.close();
      await deps.close();
    } catch (err) {
      logger.error({ err }, 'shutdown did not finish cleanly');
      process.exit(1);
    }
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  const county = `${deps.directory.directory.county.name} (${deps.directory.directory.county.code})`;
  if (app) {
    const address = await app.listen({ port: config.http.port, host: config.http.host });
    console.log(`hotline listening on ${address} (public URL ${config.http.publicUrlProblem === 'unset' ? 'not set' : config.http.publicBaseUrl})`);
  }
  console.log(`county loaded: ${county}; workers: ${workers ? 'running' : 'off'}`);
  if (app) for (const line of startupLines(config)) console.log(line);
  // Started after the first lines: their start-up (timer sweep, calendar) may log, and the first lines come first.
  if (workers) {
    started = deps.jobs.startWorkers().then(() => deps.silence.startWorker());
    await started;
  }
  for (const [data, msg] of startupNotes) logger.info(data, msg);
  for (const [data, msg] of startupWarnings) logger.warn(data, msg);
  if (config.dataKeyIsDevDefault) logger.warn('DATA_KEY is not set: using the development key. Set DATA_KEY before real data arrives.');
}

function fail(message: string): never {
  console.error(`hotline cannot start: ${message}`);
  process.exit(1);
}
