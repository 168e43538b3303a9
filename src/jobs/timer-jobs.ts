import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TimerRef, TimerScheduler, TimerStep } from '../referrals/ports.js';

/**
 * One delayed job per referral and step. BullMQ 6 refuses ':' in custom job ids (it reserves three-part ids for
 * repeatable jobs), so a dot separates the parts; uuids and step names contain none.
 */
export const timerJobId = (referralId: string, step: TimerStep) => `${referralId}.${step}`;

export interface TimerJobs extends TimerScheduler {
  /** How far ahead timers are held as delayed jobs; later ones wait in PostgreSQL for the sweep. */
  readonly horizonMs: number;
  /** Whether a timer due at `dueAt` belongs in Redis now (due within the horizon, or overdue). */
  inHorizon(dueAt: Date): boolean;
  /** Adds the jobs that are missing and leaves existing ones alone (the sweep); returns how many it added. */
  ensure(timers: readonly TimerRef[]): Promise<number>;
  /** Runs these timers' jobs now, adding any that are missing (firing due timers without waiting for the clock). */
  promote(timers: readonly TimerRef[]): Promise<void>;
}

/**
 * Delays come from the injected clock, so a test clock decides what is due, not the wall clock. `redis` is the queue's
 * connection. Only timers due within `horizonMs` get a job here; the sweep (rebuild.ts) brings later ones in as they
 * come within reach, long before they are due, so Redis holds the work due soon instead of every open referral's.
 */
export function createTimerJobs(queue: Queue, redis: Redis, now: () => Date, horizonMs: number): TimerJobs {
  const job = (t: TimerRef, delay = Math.max(0, t.dueAt.getTime() - now().getTime())) => ({
    name: 'timer.fire',
    data: { referralId: t.referralId, step: t.step },
    opts: { jobId: timerJobId(t.referralId, t.step), delay },
  });
  const inHorizon = (dueAt: Date) => dueAt.getTime() <= now().getTime() + horizonMs;

  return {
    horizonMs,
    inHorizon,
    async apply({ armed, disarmed }, opts = {}) {
      // A job being processed cannot be removed (remove answers 0): one that has not read its row yet waits for the
      // new time; one that already fired leaves the re-planned step to the next sweep, which runs well before it is due.
      // Timers of a referral just created have no job to replace (one remove script each, for nothing).
      const replaced = opts.created ? disarmed : [...disarmed, ...armed];
      await Promise.all(replaced.map((t) => queue.remove(timerJobId(t.referralId, t.step))));
      // Beyond the horizon the row alone holds the time: the sweep arms it once it comes within reach.
      const soon = armed.filter((t) => inHorizon(t.dueAt));
      if (soon.length > 0) await queue.addBulk(soon.map((t) => job(t)));
    },
    async ensure(timers) {
      if (timers.length === 0) return 0;
      // Adding an id BullMQ holds is a no-op but still runs a script and logs a 'duplicated' event; a pipelined
      // EXISTS keeps a sweep cheap when nothing is missing. Two sweeps racing may both add a missing id: BullMQ keeps one.
      const exists = await timers.reduce((p, t) => p.exists(queue.toKey(timerJobId(t.referralId, t.step))), redis.pipeline()).exec();
      const missing = timers.filter((_, i) => exists?.[i]?.[1] !== 1);
      if (missing.length > 0) await queue.addBulk(missing.map((t) => job(t)));
      return missing.length;
    },
    async promote(timers) {
      for (const t of timers) {
        const existing = await queue.getJob(timerJobId(t.referralId, t.step));
        if (!existing) {
          const immediate = job(t, 0);
          await queue.add(immediate.name, immediate.data, immediate.opts);
        } else if (await existing.isDelayed()) await existing.promote();
      }
    },
  };
}
