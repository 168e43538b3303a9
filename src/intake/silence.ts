import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { renderFor } from '../dialogs/render.js';
import type { DialogState } from '../dialogs/state.js';
import type { InboundMessage } from '../domain/messages.js';
import type { Logger } from '../logging.js';
import { createRedis } from '../redis.js';
import type { Deliver } from './intake.js';
import { withConversationLock } from './lock.js';
import { recordReplies, saveState, stepWithEffects, type TurnDeps } from './turn.js';

/**
 * A resident who stops answering gets one reminder, then the partial record is
 * saved as an incomplete case with a callback task. Each wait is a BullMQ
 * delayed job keyed by the conversation and the last message, so a new message
 * makes the pending one moot and a re-armed wait is never doubled.
 */
export type SilenceTimers = {
  arm(turn: { conversationId: string; messageId: string; state: DialogState }): Promise<void>;
  /** Runs the silence step now (the worker's handler; tests call it directly too). */
  fire(data: SilenceJob): Promise<'fired' | 'moot'>;
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

  const schedule = (job: SilenceJob) =>
    queue.add('dialog.silence', job, { jobId: `silence.${job.conversationId}.${job.messageId}.${job.attempt}`, delay: deps.delayMs });

  async function fire({ conversationId, messageId, attempt }: SilenceJob): Promise<'fired' | 'moot'> {
    const { db } = deps;
    return withConversationLock(deps.redis, deps.prefix, conversationId, async () => {
      const conversation = await db.conversation.findUnique({ where: { id: conversationId }, include: { identity: true } });
      const last = await db.message.findFirst({ where: { conversationId, direction: 'inbound' }, orderBy: { createdAt: 'desc' }, select: { id: true } });
      // The resident wrote again, a person took over, or the conversation ended: nothing to chase.
      if (!conversation || conversation.status !== 'bot' || last?.id !== messageId) return 'moot';
      const state = await deps.sessions.load(conversationId, conversation.state);
      if (!state || !WAITING.has(state.flow)) return 'moot';
      const now = deps.now();
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
      await schedule({ conversationId, messageId, attempt: 1 });
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
