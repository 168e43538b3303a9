import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Outbox } from '../referrals/ports.js';

/** Job id of a message: its idempotency key hashed, since keys may hold ':' and get long. */
export const outboundJobId = (idempotencyKey: string) => `out.${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;

/** Dispatching a key twice adds one job: BullMQ ignores an id it already holds. */
export function createOutbox(queue: Queue): Outbox {
  return {
    async dispatch(keys) {
      if (keys.length === 0) return;
      await queue.addBulk(keys.map((idempotencyKey) => ({ name: 'outbound.send', data: { idempotencyKey }, opts: { jobId: outboundJobId(idempotencyKey) } })));
    },
  };
}
