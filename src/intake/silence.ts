import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { renderFor } from '../dialogs/render.js';
import type { DialogState } from '../dialogs/state.js';
import type { InboundMessage } from '../domain/messages.js';
import type { Logger } from '../logging.js';
import { createRedis } from '../redis.js';
import type { Deliver } from './intake.js';
import { openDialogState } from '../privacy/sealed-state.js';
import { withConversationLock } from './lock.js';
import { recordReplies, saveState, stepWithEffects, type TurnDeps } from './turn.js';

/**
 * A resident who stops answering gets one reminder, then the partial record is
 * saved as an incomplete case with a callback task. Each wait is a BullMQ
 * delayed job keyed by the conversation and the message it waits after, so a
 * re-armed wait is never doubled. A conversation has one wait at a time: a turn
 * arms one only when none is pending (a Redis key marks it, one SET per turn
 * instead of a job), and a wait that finds the resident wrote since moves itself
 * to the newest message rather than reminding.
 */
export type SilenceTimers = {
  arm(turn: { conversationId: string; messageId: string; state: DialogState }): Promise<void>;
  /** Runs the silence step now (the worker's handler; tests call it directly too). */
  fire(data: SilenceJob): Promise<'fired' | 'deferred' | 'moot'>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
};

type SilenceJob = { conversationId: string; messageId: string; attempt: number };

const QUEUE = 'dialog-silence';
/** Flows that wait on the resident; a closed or handed-over conversation is not chased. */
const WAITING = new Set(['menu', 'emergency', 'application', 'progress', 'enquiry']);
const MAX_ATTEMPTS = 2;

export function createSilenceTimers(deps: TurnDeps & { redisUrl: string; prefix: string; delayMs: number; deliver: Deliver; logger: Logger; now: () => Date }): SilenceTimers {
  const connection: Redis = createRedis(deps.redisUrl, { forBullmq: true });
  const queue = new Queue<SilenceJob>(QUEUE, { connection, prefix: deps.prefix, defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 } });
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
    const { db } = deps;
    return withConversationLock(deps.redis, deps.prefix, conversationId, async () => {
      const conversation = await db.conversation.findUnique({ where: { id: conversationId }, include: { identity: true } });
      const last = await db.message.findFirst({ where: { conversationId, direction: 'inbound' }, orderBy: { createdAt: 'desc' }, select: { id: true, receivedAt: true } });
      // A person took over or the conversation ended: nothing to chase.
      if (!conversation || conversation.status !== 'bot' || !last) return 'moot';
      const state = openDialogState(conversation.state, deps.cipher);
      if (!state || !WAITING.has(state.flow)) return 'moot';
      const now = deps.now();
      if (last.id !== messageId) {
        // The resident wrote since this wait was armed: wait after their newest message instead.
        await schedule({ conversationId, messageId: last.id, attempt: 1 }, last.receivedAt.getTime() + deps.delayMs - now.getTime());
        return 'deferred';
      }
      const msg: InboundMessage = {
        channel: state.lastChannel,
        providerId: `silence:${conversationId}:${attempt}`,
        sender: conversation.identity.address,
        recipient: (await db.message.findUnique({ where: { id: messageId }, select: { recipient: true } }))?.recipient ?? '',
        text: '',
        media: [],
        receivedAt: now,
        raw: {},
      };
      const t = { messageId, conversationId, identityId: conversation.identityId, msg, now };
      const { result, replies } = await stepWithEffects(deps, t, state, { kind: 'event', event: 'silence' });
      await saveState(deps, conversationId, result.state, now);
      const outboundIds = await recordReplies(deps, t, renderFor(state.lastChannel, replies), `silence:${conversationId}:${messageId}:${attempt}`);
      await deps.deliver(msg, { conversationId, replies, outboundIds });
      if (attempt < MAX_ATTEMPTS && WAITING.has(result.state.flow)) await schedule({ conversationId, messageId, attempt: attempt + 1 });
      return 'fired';
    });
  }

  return {
    async arm({ conversationId, messageId, state }) {
      if (!WAITING.has(state.flow) || state.lastChannel === 'console') return;
      // A wait already pending for this conversation moves itself to this message when it comes due.
      await schedule({ conversationId, messageId, attempt: 1 }, deps.delayMs, true);
    },
    fire,
    async startWorker() {
      if (worker) return;
      workerConnection = createRedis(deps.redisUrl, { forBullmq: true });
      worker = new Worker<SilenceJob>(QUEUE, (job: Job<SilenceJob>) => fire(job.data), { connection: workerConnection, prefix: deps.prefix, concurrency: 4 });
      worker.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, reason: err.message }, 'silence step failed; will retry'));
      await worker.waitUntilReady();
    },
    async close() {
      await worker?.close();
      await queue.close();
      workerConnection?.disconnect();
      connection.disconnect();
    },
  };
}
