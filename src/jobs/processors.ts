import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import type { Sql } from '../db/client.js';
import { fireTimerStep } from '../referrals/escalate.js';
import type { ReferralDeps } from '../referrals/ports.js';
import { OutboundJobData, TimerJobData } from './queues.js';
import { OutboundFailure, sendOutbound } from '../channels/send-outbound.js';
import type { ChannelSenders } from '../channels/senders.js';

/** Our own jobs carry our own data; anything else is a bug that retrying cannot fix. */
function parse<T>(schema: z.ZodType<T>, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.name} ${job.id} carries malformed data: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * timer.fire: fires the step (once, checked in PostgreSQL) and hands its messages to the outbound queue. `inHorizon`
 * says whether a time is close enough to wait for in Redis (see timer-jobs.ts).
 */
export async function runTimerJob(deps: ReferralDeps, now: () => Date, job: Job, token?: string, inHorizon: (dueAt: Date) => boolean = () => true): Promise<string> {
  const data = parse(TimerJobData, job);
  const at = now();
  const result = await fireTimerStep(deps, { ...data, now: at });
  if (result.outcome === 'not_due') {
    // Moved beyond the horizon while this job waited: the job ends (and is removed, freeing its id) and the row waits
    // in PostgreSQL; the sweep that finds it within the horizon adds the job again.
    if (!inHorizon(result.dueAt)) return 'beyond_horizon';
    // The row moved later while this job waited: wait again, for as long as the injected clock says is left.
    await job.moveToDelayed(Date.now() + (result.dueAt.getTime() - at.getTime()), token);
    throw new DelayedError();
  }
  if (result.outcome === 'fired') deps.logger.info({ referralId: data.referralId, step: data.step, messages: result.messageKeys.length }, 'timer step fired');
  // Thrown dispatch errors retry the job; the retry finds the step fired and dispatches the same keys again.
  if (result.outcome === 'fired' || result.outcome === 'already_fired') await deps.outbox.dispatch(result.messageKeys);
  return result.outcome;
}

/** outbound.send: sends the staged message once; refusals skip the remaining retries. */
export async function runOutboundJob(deps: { sql: Sql; senders: ChannelSenders }, now: () => Date, job: Job): Promise<string> {
  const { idempotencyKey } = parse(OutboundJobData, job);
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  try {
    return await sendOutbound(deps, { idempotencyKey, finalAttempt, now: now() });
  } catch (err) {
    if (!(err instanceof OutboundFailure)) throw err;
    // The code leads the reason, so the failed set says what kind of failure it was.
    const reason = `${err.code}: ${err.message}`;
    throw err.permanent ? new UnrecoverableError(reason) : new Error(reason);
  }
}
