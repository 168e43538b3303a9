import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Config } from '../config.js';
import { TIMER_STEPS } from '../referrals/ports.js';

/** Every queue and the job names it carries; each name has exactly one handler (checked when jobs are created). */
export const QUEUES = {
  /** Escalation ladder steps and follow-up questions, as delayed jobs. */
  timers: ['timer.fire'],
  /** Messages to staff and residents, one job per idempotency key. */
  outbound: ['outbound.send'],
  /** Repeatable housekeeping: the timer sweep and the monthly and daily reports. */
  maintenance: ['timers.rebuild', 'reports.monthly', 'reports.daily'],
} as const;

/**
 * Queues whose worker another module runs with its own handler, declared here too so the job dashboard, the metrics
 * and closing see them: a resident's silence (the reminder, then the partial record saved), run by intake/silence.ts.
 */
export const DIALOG_QUEUES = {
  'dialog-silence': ['dialog.silence'],
} as const;

export type QueueName = keyof typeof QUEUES;
export type DialogQueueName = keyof typeof DIALOG_QUEUES;
export type JobName = (typeof QUEUES)[QueueName][number];
/** The queues the job system runs workers for (DIALOG_QUEUES not among them). */
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export const TimerJobData = z.object({ referralId: z.uuid(), step: z.enum(TIMER_STEPS) });
export const OutboundJobData = z.object({ idempotencyKey: z.string().min(1) });

/** Every declared queue, the dialog queues included. */
export type JobQueues = Record<QueueName | DialogQueueName, Queue>;

const DAY_S = 86_400;

export interface QueueSettings {
  outboundAttempts: number;
  outboundBackoffMs: number;
}

/** Job defaults per queue; failed jobs stay a month so supervisors can see what did not go out and why. */
function defaults(s: QueueSettings): Record<QueueName | DialogQueueName, DefaultJobOptions> {
  const keepFailed = { age: 30 * DAY_S };
  return {
    // Removed once done, so the same id can be armed again (after an extension or a reopen).
    timers: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: keepFailed },
    // Kept a day once sent, so a repeated dispatch of the same key is a no-op in Redis too.
    outbound: {
      attempts: s.outboundAttempts,
      backoff: { type: 'exponential', delay: s.outboundBackoffMs },
      removeOnComplete: { age: DAY_S, count: 10_000 },
      removeOnFail: keepFailed,
    },
    maintenance: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    'dialog-silence': { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  };
}

/** The queues, all under the deployment's Redis prefix (tests isolate by it). */
export function createQueues(config: Pick<Config, 'redis'>, connection: Redis, settings: QueueSettings): JobQueues {
  const d = defaults(settings);
  const queue = (name: QueueName | DialogQueueName) => new Queue(name, { connection, prefix: config.redis.prefix, defaultJobOptions: d[name] });
  return { timers: queue('timers'), outbound: queue('outbound'), maintenance: queue('maintenance'), 'dialog-silence': queue('dialog-silence') };
}
