import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { waitsOnResident } from '../dialogs/engine.js';
import type { DialogState } from '../dialogs/state.js';
import type { Logger } from '../logging.js';
import { createRedis } from '../redis.js';
import type { Deliver } from './intake.js';
import { runDialog, type DialogRunnerDeps } from './dialog-runner.js';

/**
 * A resident who stops answering gets one reminder, then the partial record is
 * saved as an incomplete case with a callback task. Each wait is a BullMQ
 * delayed job keyed by the conversation and the message it waits after, so a
 * re-armed wait is never doubled. A conversation has one wait at a time: a turn
 * arms one only when none is pending (a Redis key marks it, one SET per turn
 * instead of a job), and a wait that finds the resident wrote since moves itself
 * to the newest message rather than reminding. The silence step itself is the
 * dialog runner's (./dialog-runner.ts); this module keeps the clock.
 */
export type SilenceTimers = {
  arm(turn: { conversationId: string; messageId: string; state: DialogState }): Promise<void>;
  /** Runs the silence step now (the worker's handler; tests call it directly too). */
  fire(data: SilenceJob): Promise<'fired' | 'deferred' | 'moot'>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
};

type SilenceJob = { conversationId: string; messageId: string; attempt: number };

const MAX_ATTEMPTS = 2;

/**
 * `queue` is the dialog-silence queue declared in jobs/queues.ts (the job system creates and closes it); the worker
 * that runs its jobs is started here.
 */
export function createSilenceTimers(deps: DialogRunnerDeps & { queue: Queue; redisUrl: string; prefix: string; delayMs: number; deliver: Deliver; logger: Logger; now: () => Date }): SilenceTimers {
  const { queue } = deps;
  let worker: Worker<SilenceJob> | undefined;
  let workerConnection: Redis | undefined;

  const armedKey = (conversationId: string) => `${deps.prefix}:silence-armed:${conversationId}`;
  /** Marks the conversation's wait as pending and adds it; with `onlyIfNone`, not when one is pending already. */
  const schedule = async (job: SilenceJob, delay = deps.delayMs, onlyIfNone = false) => {
    const key = armedKey(job.conversationId);
    const ms = Math.max(1, delay);
    const marked = onlyIfNone ? await deps.redis.set(key, job.messageId, 'PX', ms, 'NX') : await deps.redis.set(key, job.messageId, 'PX', ms);
    if (marked !== 'OK') return;
    await queue.add('dialog.silence', job, { jobId: `silence.${job.conversationId}.${job.messageId}.${job.attempt}`, delay: Math.max(0, delay) });
  };

  async function fire({ conversationId, messageId, attempt }: SilenceJob): Promise<'fired' | 'deferred' | 'moot'> {
    const outcome = await runDialog(
      deps,
      { kind: 'silence', conversationId, messageId, attempt, now: deps.now },
      {
        // Still holding the conversation's lock, so the reminder goes out before the resident's next turn runs.
        whileLocked: async (o) => {
          // The resident wrote since this wait was armed: wait after their newest message instead.
          if (o.kind === 'moved') await schedule({ conversationId, messageId: o.messageId, attempt: 1 }, o.receivedAt.getTime() + deps.delayMs - o.now.getTime());
          if (o.kind !== 'answered') return;
          await deps.deliver(o.to, { conversationId, replies: o.replies, outboundIds: o.outboundIds });
          if (attempt < MAX_ATTEMPTS && o.state && waitsOnResident(o.state.flow)) await schedule({ conversationId, messageId, attempt: attempt + 1 });
        },
      },
    );
    return outcome.kind === 'answered' ? 'fired' : outcome.kind === 'moved' ? 'deferred' : 'moot';
  }

  return {
    async arm({ conversationId, messageId, state }) {
      if (!waitsOnResident(state.flow) || state.lastChannel === 'console') return;
      // A wait already pending for this conversation moves itself to this message when it comes due.
      await schedule({ conversationId, messageId, attempt: 1 }, deps.delayMs, true);
    },
    fire,
    async startWorker() {
      if (worker) return;
      workerConnection = createRedis(deps.redisUrl, { forBullmq: true });
      worker = new Worker<SilenceJob>(queue.name, (job: Job<SilenceJob>) => fire(job.data), { connection: workerConnection, prefix: deps.prefix, concurrency: 4 });
      worker.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, reason: err.message }, 'silence step failed; will retry'));
      await worker.waitUntilReady();
    },
    async close() {
      await worker?.close();
      workerConnection?.disconnect();
    },
  };
}
