import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Db, Sql } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import { AppError } from '../errors.js';
import type { ReportPeriod } from '../generated/prisma/enums.js';
import type { Outbox, ReferralDeps, TimerScheduler, TimerStep } from '../referrals/ports.js';
import { applyCalendarChanges } from '../referrals/recalendar.js';
import type { Logger } from '../logging.js';
import { createRedis } from '../redis.js';
import { createCountyCalendar } from '../referrals/clock/county-calendar.js';
import type { WorkCalendar } from '../referrals/clock/calendar.js';
import { checkRegistrations, processorFor, type Registration } from './handlers.js';
import { createOutbox } from './outbox.js';
import { runOutboundJob, runTimerJob } from './processors.js';
import { createQueues, QUEUE_NAMES, type JobQueues, type QueueName } from './queues.js';
import { rebuildTimers, type RebuildSummary } from './rebuild.js';
import { previousPeriod } from '../reports/periods.js';
import { storeUnitReports } from '../reports/reports.js';
import { sendersFromConfig, type ChannelSenders } from '../channels/senders.js';
import { createTimerJobs } from './timer-jobs.js';

export interface JobsOptions {
  /** The clock every delay and due check reads; tests pass a controllable one. */
  now?: () => Date;
  /** Provider clients to use instead of those built from config. */
  senders?: Partial<ChannelSenders>;
  /** How often the timer sweep runs (default 5 minutes). */
  sweepEveryMs?: number;
  /** How far ahead timers are held in Redis (default config.timerHorizonMs, TIMER_HORIZON_HOURS); at least two sweeps. */
  timerHorizonMs?: number;
  /** Receives the calendar's start-up warning (a provisional year) instead of the logger. */
  announce?: (data: object, msg: string) => void;
  /** How often a worker process checks that Redis still holds the job data (default 1 minute). */
  watchdogMs?: number;
  /** Tries per outbound message (default 5) and the first backoff delay, doubling each time (default 10 s). */
  outboundAttempts?: number;
  outboundBackoffMs?: number;
  /** How long a worker's hold on a job lasts without renewal, and how often stalled jobs are looked for (default 30 s each). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  concurrency?: Partial<Record<QueueName, number>>;
}

export interface Jobs {
  queues: JobQueues;
  /** What referral functions need from the job system: `{ ...deps, ...jobs.ports }` is a ReferralDeps. */
  ports: { calendar: WorkCalendar; timers: TimerScheduler; outbox: Outbox };
  /** Starts one worker per queue, schedules the repeatable jobs and rebuilds timers from PostgreSQL. */
  startWorkers(): Promise<void>;
  /** Closes workers (in-flight jobs finish first unless `force`), queues and their connections. */
  close(opts?: { force?: boolean }): Promise<void>;
  /** The sweep, on demand: arms every pending timer due within the horizon that has no job yet. */
  rebuildTimers(now?: Date): Promise<RebuildSummary>;
  /** Runs every timer due by `now` (per PostgreSQL) at once and waits until it and its messages are done; returns how many. */
  fireDue(now?: Date): Promise<number>;
  /** Waits until no timer or outbound job is waiting, running or waiting for a retry. */
  settle(timeoutMs?: number): Promise<void>;
}

const MINUTE_MS = 60_000;
/**
 * Jobs a worker process runs at once per queue. A timer job is a short transaction that mostly waits on PostgreSQL,
 * so a burst of deadlines (1,000 in 20 s in bench/timers.ts) keeps up only with more in flight than the 4 that suffice
 * for sending: at 4 its p99 lateness reached seconds on a loaded 2-core machine, at 16 it stayed under half a second.
 * The connection pool (10) still bounds how many transactions run at once.
 */
const DEFAULT_CONCURRENCY: Record<QueueName, number> = { timers: 16, outbound: 4, maintenance: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The job system: BullMQ queues under the deployment's Redis prefix, their workers, and the seams referral functions
 * use (calendar, timer scheduler, outbox). Nothing runs until startWorkers(); an HTTP-only process still uses the
 * queues and ports to arm timers and dispatch messages.
 */
/** What the job system is built from. */
export type JobsDeps = { config: Config; logger: Logger; db: Db; sql: Sql; directory: LoadedDirectory };

export function createJobs(deps: JobsDeps, opts: JobsOptions = {}): Jobs {
  const { config, logger, db, sql, directory } = deps;
  const now = opts.now ?? (() => new Date());
  const connection = createRedis(config.redis.url, { forBullmq: true });
  const queues = createQueues(config, connection, { outboundAttempts: opts.outboundAttempts ?? 5, outboundBackoffMs: opts.outboundBackoffMs ?? 10_000 });
  const calendar = createCountyCalendar(directory.directory, logger, now(), opts.announce);
  const sweepEveryMs = opts.sweepEveryMs ?? 5 * MINUTE_MS;
  const horizonMs = opts.timerHorizonMs ?? config.timerHorizonMs;
  // A timer enters the horizon at most one sweep interval before a sweep sees it, so it must be far wider than that
  // interval: then each timer gets its job a horizon minus one interval ahead of its time, and a missed sweep or two
  // (PostgreSQL or Redis briefly away) delays nothing.
  if (!(horizonMs >= 2 * sweepEveryMs)) {
    throw new AppError('timer_horizon_too_short', `The timer horizon (${horizonMs} ms) must span at least two sweeps (every ${sweepEveryMs} ms)`, 500, true);
  }
  const timers = createTimerJobs(queues.timers, connection, now, horizonMs);
  const outbox = createOutbox(queues.outbound);
  const referralDeps: ReferralDeps = { ...deps, calendar, timers, outbox };
  const senders: ChannelSenders = { ...sendersFromConfig(config), ...opts.senders };
  const tz = directory.directory.county.timezone;
  // Set by every sweep; FLUSHDB or a Redis restart without persistence removes it, and with it the repeatable jobs.
  const rebuiltKey = `${config.redis.prefix}:jobs:rebuilt-at`;
  const rebuild = async (at: Date) => {
    const summary = await rebuildTimers({ db, sql, timers, outbox }, at);
    await connection.set(rebuiltKey, at.toISOString());
    return summary;
  };

  /** The last complete period of that kind, stored per unit; returns its key (YYYY-MM or YYYY-MM-DD). */
  const storeReport = async (period: ReportPeriod) => {
    const key = previousPeriod(period, now(), tz);
    const report = await storeUnitReports({ db, directory }, { period, key, asOf: now() });
    logger.info({ period, key, units: report.length }, 'unit report stored');
    return key;
  };

  const registrations: Registration[] = [
    { queue: 'timers', name: 'timer.fire', handle: (job, token) => runTimerJob(referralDeps, now, job, token, timers.inHorizon) },
    { queue: 'outbound', name: 'outbound.send', handle: (job) => runOutboundJob({ sql, senders }, now, job) },
    { queue: 'maintenance', name: 'timers.rebuild', handle: () => rebuild(now()) },
    { queue: 'maintenance', name: 'reports.monthly', handle: () => storeReport('month') },
    { queue: 'maintenance', name: 'reports.daily', handle: () => storeReport('day') },
  ];
  checkRegistrations(registrations);

  const workers: { worker: Worker; connection: Redis }[] = [];
  let closing: Promise<void> | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  async function schedule(): Promise<void> {
    await queues.maintenance.upsertJobScheduler('timers.rebuild', { every: sweepEveryMs }, { name: 'timers.rebuild', data: {} });
    // On the day reports are due, early: the month before is complete and late answers have had time to come in.
    const day = directory.directory.timeLimits.monthlyReportDay;
    await queues.maintenance.upsertJobScheduler('reports.monthly', { pattern: `0 6 ${day} * *`, tz }, { name: 'reports.monthly', data: {} });
    // Just after midnight, for the day that ended, so the figures are there when the working day starts.
    await queues.maintenance.upsertJobScheduler('reports.daily', { pattern: '5 0 * * *', tz }, { name: 'reports.daily', data: {} });
  }

  /** The repeatable sweep vanishes with the data it would restore, so each worker process watches for the loss. */
  let recovering = false;
  async function recoverIfLost(): Promise<void> {
    if (recovering) return;
    recovering = true;
    try {
      if (await connection.exists(rebuiltKey)) return;
      logger.warn({ code: 'redis_data_lost' }, 'Redis no longer holds the job data; restoring schedules and timers from PostgreSQL');
      await schedule();
      logger.info(await rebuild(now()), 'timers rebuilt after Redis lost its data');
    } finally {
      recovering = false;
    }
  }

  async function settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Timers first: a timer job adds its messages before it completes, so an idle timer queue seen first means
      // its messages are already visible in the outbound counts read next.
      const t = await queues.timers.getJobCounts('waiting', 'active', 'prioritized');
      const o = await queues.outbound.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      const busy = [...Object.values(t), ...Object.values(o)].reduce((a, b) => a + b, 0);
      if (busy === 0) return;
      if (Date.now() > deadline) {
        throw new AppError('jobs_not_settled', `Jobs still pending after ${timeoutMs} ms (timers ${JSON.stringify(t)}, outbound ${JSON.stringify(o)}): are the workers started?`, 500);
      }
      await sleep(20);
    }
  }

  return {
    queues,
    ports: { calendar, timers, outbox },

    async startWorkers() {
      if (workers.length > 0) return;
      for (const name of QUEUE_NAMES) {
        const workerConnection = createRedis(config.redis.url, { forBullmq: true });
        const worker = new Worker(name, processorFor(name, registrations), {
          connection: workerConnection,
          prefix: config.redis.prefix,
          concurrency: opts.concurrency?.[name] ?? DEFAULT_CONCURRENCY[name],
          lockDuration: opts.lockDurationMs ?? 30_000,
          stalledInterval: opts.stalledIntervalMs ?? 30_000,
        });
        worker.on('failed', (job, err) =>
          logger.warn({ queue: name, job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, reason: err.message }, 'job attempt failed'),
        );
        worker.on('error', (err) => logger.error({ err, queue: name }, 'job worker error'));
        workers.push({ worker, connection: workerConnection });
      }
      await Promise.all(workers.map((w) => w.worker.waitUntilReady()));
      await schedule();
      // The directory (and its calendar) takes effect here: open deadlines counted on another calendar move first.
      try {
        const applied = await applyCalendarChanges(referralDeps, now());
        if (applied.changedYears.length > 0) {
          logger.info({ years: applied.changedYears, checked: applied.checked, moved: applied.moved.length, code: 'calendar_applied' }, 'working-day calendar changed; open deadlines recomputed');
        }
      } catch (err) {
        logger.error({ err, code: 'calendar_apply_failed' }, 'could not recompute open deadlines for the changed calendar; they keep their times until the next start');
      }
      logger.info(await rebuild(now()), 'job workers started; timers rebuilt from PostgreSQL');
      watchdog = setInterval(() => {
        recoverIfLost().catch((err: unknown) => logger.error({ err, code: 'timer_rebuild_failed' }, 'could not restore timers after Redis lost its data; retrying'));
      }, opts.watchdogMs ?? MINUTE_MS);
      watchdog.unref();
    },

    close({ force = false } = {}) {
      // Idempotent: the composition root and a test may both close it.
      closing ??= (async () => {
        clearInterval(watchdog);
        await Promise.all(workers.map((w) => w.worker.close(force)));
        await Promise.all(Object.values(queues).map((q) => q.close()));
        for (const c of [...workers.map((w) => w.connection), connection]) {
          if (force) c.disconnect();
          else await c.quit().catch(() => c.disconnect());
        }
      })();
      return closing;
    },

    rebuildTimers: (at = now()) => rebuild(at),

    async fireDue(at = now()) {
      const due = await db.referralTimer.findMany({
        where: { firedAt: null, cancelledAt: null, dueAt: { lte: at } },
        select: { referralId: true, step: true, dueAt: true },
      });
      await timers.promote(due.map((t) => ({ referralId: t.referralId, step: t.step as TimerStep, dueAt: t.dueAt })));
      await settle();
      return due.length;
    },

    settle,
  };
}
