import type { ReferralDeps, TimerChanges } from './ports.js';

/** Redis commands wait while it is unreachable; an API call should answer anyway, since nothing is lost. */
const MIRROR_TIMEOUT_MS = 5000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}

/**
 * Mirrors a committed change into the job system: arms and disarms its timers, dispatches its messages. The rows
 * are already committed and the timer sweep re-arms and re-dispatches from them, so a failure is logged, not thrown.
 */
export async function afterCommit(
  deps: Pick<ReferralDeps, 'logger' | 'timers' | 'outbox'>,
  change: { trackingNumber: string; timers: TimerChanges; messageKeys: string[]; /** The armed timers' rows are new (see TimerScheduler). */ created?: boolean },
): Promise<void> {
  const { trackingNumber } = change;
  await Promise.all([
    within(MIRROR_TIMEOUT_MS, deps.timers.apply(change.timers, change.created ? { created: true } : undefined)).catch((err: unknown) =>
      deps.logger.warn({ err, code: 'timers_not_armed', trackingNumber }, 'referral timers not armed in Redis; the timer sweep will arm them'),
    ),
    within(MIRROR_TIMEOUT_MS, deps.outbox.dispatch(change.messageKeys)).catch((err: unknown) =>
      deps.logger.warn({ err, code: 'messages_not_dispatched', trackingNumber }, 'messages not handed to the outbound queue; the timer sweep will dispatch them'),
    ),
  ]);
}
