import type { Redis } from 'ioredis';
import { createBackground, type Background } from './background.js';
import { deliverReplies, type ChannelSenders } from './channels/deliver.js';
import { createTwilioRest } from './channels/twilio/rest.js';
import { createWecomApi } from './channels/wecom/api.js';
import { createWecomCrypto, type WecomCrypto } from './channels/wecom/crypto.js';
import type { Config } from './config.js';
import { createDb, type Db } from './db/client.js';
import { loadPolicies, type PolicyData } from './dialogs/policies.js';
import { loadDirectoryFile } from './directory/load.js';
import { importDirectory, loadCurrentDirectory, type LoadedDirectory } from './directory/store.js';
import { createIntake, type Deliver, type Intake } from './intake/intake.js';
import { createSessionStore } from './intake/sessions.js';
import { createSpool } from './intake/spool.js';
import { createLogger, type Logger } from './logging.js';
import { createPersonalDataCipher, type PersonalDataCipher } from './privacy/cipher.js';
import { createRedis } from './redis.js';
import { detectUrgency } from './routing/urgency.js';

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
  policies: PolicyData;
  senders: ChannelSenders;
  wecomCrypto?: WecomCrypto;
  intake: Intake;
  /** Sends stored replies through the channel's API (WeCom, and answers that come later). */
  deliver: Deliver;
  background: Background;
  now: () => Date;
  close(): Promise<void>;
};

export type DepsOptions = { logger?: Logger; now?: () => Date };

/** Policy answers live beside the county directory: lanshan.json → lanshan.policies.json. */
const policiesFileFor = (countyFile: string) => countyFile.replace(/\.json$/, '.policies.json');

export async function buildDeps(config: Config, opts: DepsOptions = {}): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const now = opts.now ?? (() => new Date());
  const db = createDb(config.databaseUrl);
  const redis = createRedis(config.redis.url, { lazy: true });
  const background = createBackground(logger);
  const closers: (() => Promise<unknown>)[] = [() => db.$disconnect(), () => redis.quit().catch(() => redis.disconnect())];
  const close = async () => {
    await background.idle();
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
    const policies = await loadPolicies(policiesFileFor(config.countyFile));
    const cipher = createPersonalDataCipher(config.dataKey);
    const senders = buildSenders(config);
    const deliver: Deliver = (msg, result) => deliverReplies({ db, logger, senders }, msg, result);
    const intake = createIntake({
      db,
      redis,
      redisPrefix: config.redis.prefix,
      cipher,
      directory,
      logger,
      policies,
      sessions: createSessionStore(redis, config.redis.prefix),
      spool: createSpool(config.spoolDir),
      detectUrgency,
      now,
      deliver,
      onCaseOpened: async () => undefined,
      onDutyFlag: async () => undefined,
    });
    const wecomCrypto = config.wecom
      ? createWecomCrypto({ token: config.wecom.token, encodingAesKey: config.wecom.encodingAesKey, corpId: config.wecom.corpId, replayWindowS: config.wecom.replayWindowS })
      : undefined;
    return { config, logger, db, redis, cipher, directory, policies, senders, wecomCrypto, intake, deliver, background, now, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function buildSenders(config: Config): ChannelSenders {
  const t = config.twilio;
  const w = config.wecom;
  return {
    twilio: t ? createTwilioRest({ baseUrl: t.apiBaseUrl, accountSid: t.accountSid, authToken: t.authToken }) : undefined,
    smsFrom: t?.numbers.civil ?? t?.numbers.service,
    wecomApp: w?.secret && w.agentId ? { api: createWecomApi({ baseUrl: w.apiBaseUrl, corpId: w.corpId, secret: w.secret }), agentId: w.agentId } : undefined,
    wecomKf: w?.kfSecret ? createWecomApi({ baseUrl: w.apiBaseUrl, corpId: w.corpId, secret: w.kfSecret }) : undefined,
  };
}
