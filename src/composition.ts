import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createDb, type Db } from './db/client.js';
import { loadDirectoryFile } from './directory/load.js';
import { importDirectory, loadCurrentDirectory, type LoadedDirectory } from './directory/store.js';
import { createLogger, type Logger } from './logging.js';
import { createPersonalDataCipher, type PersonalDataCipher } from './privacy/cipher.js';
import { createRedis } from './redis.js';

/**
 * The composition root: the one place that turns config into live
 * dependencies. Everything else receives what it needs as arguments.
 */
export type Deps = {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  cipher: PersonalDataCipher;
  directory: LoadedDirectory;
  close(): Promise<void>;
};

export async function buildDeps(config: Config, opts: { logger?: Logger } = {}): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = createDb(config.databaseUrl);
  const redis = createRedis(config.redis.url, { lazy: true });
  const closers: (() => Promise<unknown>)[] = [() => db.$disconnect(), () => redis.quit().catch(() => redis.disconnect())];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => logger.warn({ err }, 'error while closing'));
  };
  try {
    await redis.connect();
    let directory = await loadCurrentDirectory(db);
    if (!directory) {
      const summary = await importDirectory(db, await loadDirectoryFile(config.countyFile));
      logger.info({ ...summary, file: config.countyFile }, 'county directory loaded into an empty database');
      directory = await loadCurrentDirectory(db);
    }
    if (!directory) throw new Error('county directory missing after import');
    return { config, logger, db, redis, cipher: createPersonalDataCipher(config.dataKey), directory, close };
  } catch (err) {
    await close();
    throw err;
  }
}
