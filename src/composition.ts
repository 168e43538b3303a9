import type { Redis } from 'ioredis';
import { createBackground, type Background } from './background.js';
import { openConfirmedCase } from './cases/confirm-case.js';
import { routeOpenedCase, type RouteCaseDeps } from './cases/route-case.js';
import { createReplyDelivery } from './channels/deliver.js';
import { createWecomCrypto, type WecomCrypto } from './channels/wecom/crypto.js';
import type { Config } from './config.js';
import { createDb, createPool, type Db, type Sql } from './db/client.js';
import { loadPolicies, type PolicyData } from './dialogs/policies.js';
import { loadDirectoryFile } from './directory/load.js';
import { importDirectory, loadCurrentDirectory, type LoadedDirectory } from './directory/store.js';
import { flagUrgentCase, notifyDutyOfficers, type DutyNoticeDeps } from './intake/duty.js';
import { createIntake, type Deliver, type Intake } from './intake/intake.js';
import type { DialogRunnerDeps } from './intake/dialog-runner.js';
import { createLlmTurnReader } from './intake/llm-acts.js';
import { createSilenceTimers, type SilenceTimers } from './intake/silence.js';
import { createSpool } from './intake/spool.js';
import { createJobs, type Jobs } from './jobs/create-jobs.js';
import { sendersFromConfig, type ChannelSenders } from './channels/senders.js';
import { createLogger, type Logger } from './logging.js';
import { createPersonalDataCipher, type PersonalDataCipher } from './privacy/cipher.js';
import { trackingNumbers, type TrackingNumbers } from './domain/tracking-number.js';
import { createRedis } from './redis.js';
import { createReferrals, recordFollowUp, type ReferralDeps } from './referrals/index.js';
import { createLlmClassifier } from './routing/llm.js';
import { reportClue } from './staff/report-clue.js';
import { assessUrgency } from './routing/urgency.js';

/**
 * The composition root: the one place that turns config into live
 * dependencies. Everything else receives what it needs as arguments.
 */
export type Deps = {
  config: Config;
  logger: Logger;
  db: Db;
  /** Prisma's own pool, for the few hot statements written in plain SQL (a resident's turn, sending a message). */
  sql: Sql;
  redis: Redis;
  cipher: PersonalDataCipher;
  /** Issues tracking numbers under TRACKING_KEY. */
  tracking: TrackingNumbers;
  directory: LoadedDirectory;
  policies: PolicyData;
  senders: ChannelSenders;
  wecomCrypto?: WecomCrypto;
  jobs: Jobs;
  /** What referral lifecycle functions need: the base dependencies plus the job seams. */
  referrals: ReferralDeps;
  intake: Intake;
  /** What a dialog turn needs (effects, routing hooks): shared by residents' turns, silence and staff hand-back. */
  turnDeps: DialogRunnerDeps;
  /** Reminds a resident who went quiet, then saves the partial record for a callback. */
  silence: SilenceTimers;
  /** Sends stored replies through the channel's API (WeCom, staff replies, answers that come later). */
  deliver: Deliver;
  background: Background;
  now: () => Date;
  close(): Promise<void>;
};

export type DepsOptions = {
  logger?: Logger;
  now?: () => Date;
  senders?: Partial<ChannelSenders>;
  /** Told when the database had no county and COUNTY_FILE was loaded into it (default: logged). */
  onDirectoryImported?: (summary: object) => void;
  /** Receives start-up warnings (a provisional holiday calendar) instead of the logger. */
  onStartupWarning?: (data: object, msg: string) => void;
};

/** Policy answers live beside the county directory: lanshan.json → lanshan.policies.json. */
const policiesFileFor = (countyFile: string) => countyFile.replace(/\.json$/, '.policies.json');

export async function buildDeps(config: Config, opts: DepsOptions = {}): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const now = opts.now ?? (() => new Date());
  const sql = createPool(config.databaseUrl, { onIdleError: (err) => logger.warn({ err: err.message }, 'PostgreSQL dropped an idle connection') });
  const db = createDb(config.databaseUrl, { pool: sql });
  const redis = createRedis(config.redis.url, { lazy: true, autoPipelining: true });
  const background = createBackground(logger);
  const closers: (() => Promise<unknown>)[] = [() => sql.end(), () => db.$disconnect(), () => redis.quit().catch(() => redis.disconnect())];
  const close = async () => {
    await background.idle();
    for (const c of closers.reverse()) await c().catch((err) => logger.warn({ err }, 'error while closing'));
  };
  try {
    await redis.connect();
    let directory = await loadCurrentDirectory(db);
    if (!directory) {
      const summary = await importDirectory(db, await loadDirectoryFile(config.countyFile));
      const report = opts.onDirectoryImported ?? ((s: object) => logger.info(s, 'county directory loaded into an empty database'));
      report({ ...summary, file: config.countyFile });
      directory = await loadCurrentDirectory(db);
    }
    if (!directory) throw new Error('county directory missing after import');
    const policies = await loadPolicies(policiesFileFor(config.countyFile));
    const cipher = createPersonalDataCipher(config.dataKey);
    const tracking = trackingNumbers(config.trackingKey);
    const senders: ChannelSenders = { ...sendersFromConfig(config), ...opts.senders };
    const jobs = createJobs({ config, logger, db, sql, directory }, { now, senders, announce: opts.onStartupWarning });
    closers.push(() => jobs.close());
    const referrals: ReferralDeps = { config, logger, db, directory, ...jobs.ports };
    const deliver = createReplyDelivery({ sql, logger, senders, outbox: jobs.ports.outbox, smsFrom: config.twilio?.numbers.civil ?? config.twilio?.numbers.service, now });
    const llm = config.llm ? createLlmClassifier({ ...config.llm, warn: (m) => logger.warn({ llm: m }, 'LLM not used; rules kept') }) : undefined;
    const dutyNotice: DutyNoticeDeps = { db, outbox: jobs.ports.outbox, config, directory };
    const onDutyFlag = (taskId: string) => notifyDutyOfficers(dutyNotice, taskId, now());
    const caseRouting: RouteCaseDeps = {
      db,
      directory,
      logger,
      llm,
      now,
      createReferrals: (input) => createReferrals(referrals, input),
      flagUrgent: (flag) => flagUrgentCase(dutyNotice, flag, now()),
    };

    const turnDeps: DialogRunnerDeps = {
      db,
      sql,
      redis,
      redisPrefix: config.redis.prefix,
      progressLimits: config.progressLookup,
      cipher,
      tracking,
      directory,
      logger,
      policies,
      // Every turn: situation frames and the learned model together, with the ask band (unsure).
      detectUrgency: (text: string) => assessUrgency(text),
      // With an LLM, turns the rules may not read are read by it too (the rules stay the floor); without one, none.
      ...(config.llm ? { readTurn: createLlmTurnReader({ ...config.llm, logger }) } : {}),
      onDutyFlag,
      reportClue: (input: Parameters<typeof reportClue>[1], at: Date) => reportClue({ ...referrals, cipher, tracking }, input, at),
      recordFollowUp: ({ trackingNumber, satisfied, note, identityId, now: at }: { trackingNumber: string; satisfied: boolean; note: string; identityId: string; now: Date }) =>
        recordFollowUp(referrals, { trackingNumber, satisfied, note, actor: { type: 'resident', id: identityId }, now: at }),
      openConfirmedCase: (input, at) =>
        openConfirmedCase(
          { sql, cipher, tracking, directory, logger, llm, now, referrals, flagUrgent: caseRouting.flagUrgent, routeStored: (caseId) => routeOpenedCase(caseRouting, caseId) },
          input,
          at,
        ),
    };
    const silence = createSilenceTimers({ ...turnDeps, queue: jobs.queues['dialog-silence'], redisUrl: config.redis.url, prefix: config.redis.prefix, delayMs: config.dialogSilenceMs, deliver, now });
    closers.push(() => silence.close());
    const intake = createIntake({ ...turnDeps, spool: createSpool(config.spoolDir, cipher), now, deliver, onTurnSaved: (turn) => silence.arm(turn) });
    const wecomCrypto = config.wecom
      ? createWecomCrypto({ token: config.wecom.token, encodingAesKey: config.wecom.encodingAesKey, corpId: config.wecom.corpId, replayWindowS: config.wecom.replayWindowS })
      : undefined;
    return { config, logger, db, sql, redis, cipher, tracking, directory, policies, senders, wecomCrypto, jobs, referrals, intake, turnDeps, silence, deliver, background, now, close };
  } catch (err) {
    await close();
    throw err;
  }
}
