import type { Sql } from '../db/client.js';
import type { Deliver } from '../intake/intake.js';
import { OutboundFailure, sendOutbound } from './send-outbound.js';
import { switchReplyToSms } from '../messages/message-outbox.js';
import type { ChannelSenders } from './senders.js';
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
export function createReplyDelivery(deps: { sql: Sql; logger: Logger; senders: ChannelSenders; outbox: Outbox; smsFrom?: string; now: () => Date }): Deliver {
  return async (_msg, result) => {
    if (result.outboundIds.length === 0) return;
    const { rows } = await deps.sql.query<{ id: string; channel: string; key: string | null }>(
      `SELECT id, channel::text AS channel, "idempotencyKey" AS key FROM "Message"
        WHERE id = ANY($1::uuid[]) AND direction = 'outbound' AND status <> 'sent' ORDER BY "idempotencyKey"`,
      [result.outboundIds],
    );
    for (const row of rows) {
      const key = row.key;
      if (!key) continue;
      if (row.channel === 'voice') {
        await switchReplyToSms(deps.sql, row.id, deps.smsFrom ?? '');
      }
      try {
        await sendOutbound({ sql: deps.sql, senders: deps.senders }, { idempotencyKey: key, finalAttempt: false, now: deps.now() });
      } catch (err) {
        const permanent = err instanceof OutboundFailure && err.permanent;
        deps.logger.warn({ err: (err as Error).message, messageId: row.id, permanent }, permanent ? 'reply cannot be sent' : 'reply send failed; queued for retry');
        if (!permanent) await deps.outbox.dispatch([key]);
      }
    }
  };
}
