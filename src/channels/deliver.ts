import type { Db } from '../db/client.js';
import type { Deliver } from '../intake/intake.js';
import { OutboundFailure, sendOutbound } from '../jobs/send-outbound.js';
import type { ChannelSenders } from '../jobs/senders.js';
import type { Logger } from '../logging.js';
import type { Outbox } from '../referrals/ports.js';

/**
 * Sends a turn's stored replies through the channel's API, for channels that
 * cannot answer in the webhook response (WeCom), staff replies, and answers that
 * come later (recovery). One attempt now through the same row-locked sender the
 * outbound queue uses (a row already sent is never sent again); a passing
 * failure is handed to the queue, which retries with backoff.
 * A voice caller who has hung up gets the answer by SMS.
 */
export function createReplyDelivery(deps: { db: Db; logger: Logger; senders: ChannelSenders; outbox: Outbox; smsFrom?: string; now: () => Date }): Deliver {
  return async (_msg, result) => {
    const rows = await deps.db.message.findMany({
      where: { id: { in: result.outboundIds }, direction: 'outbound', status: { not: 'sent' } },
      orderBy: { idempotencyKey: 'asc' },
    });
    for (const row of rows) {
      const key = row.idempotencyKey;
      if (!key) continue;
      if (row.channel === 'voice') {
        await deps.db.message.update({ where: { id: row.id }, data: { channel: 'sms', sender: row.sender || deps.smsFrom || '' } });
      }
      try {
        await sendOutbound({ db: deps.db, senders: deps.senders }, { idempotencyKey: key, finalAttempt: false, now: deps.now() });
      } catch (err) {
        const permanent = err instanceof OutboundFailure && err.permanent;
        deps.logger.warn({ err: (err as Error).message, messageId: row.id, permanent }, permanent ? 'reply cannot be sent' : 'reply send failed; queued for retry');
        if (!permanent) await deps.outbox.dispatch([key]);
      }
    }
  };
}
