import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/redis.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { postSms, smsParams, TWILIO } from '../helpers/channels.js';
import { residents } from '../helpers/residents.js';

/**
 * One silence wait per conversation, not one per turn: a quick exchange arms a single delayed job, and that job
 * moves itself to the resident's newest message when it comes due. No workers run here: the test fires the job.
 */
let env: TestEnv;
let queue: Queue;
let clock = new Date('2026-11-23T02:00:00Z');

beforeAll(async () => {
  env = await createTestEnv({ ...TWILIO, DIALOG_SILENCE_MINUTES: '10' }, { now: () => clock });
  queue = new Queue('dialog-silence', { connection: createRedis(env.config.redis.url, { forBullmq: true }), prefix: env.config.redis.prefix });
});
afterAll(async () => {
  await queue?.close();
  await env?.close();
});

describe('silence waits', () => {
  it('three quick turns arm one wait; when due it waits after the newest message instead of reminding', async () => {
    const [r] = residents(1, 61);
    for (const text of ['我想申请低保', '我叫王秀英', '家里三口人']) {
      expect((await postSms(env.app, smsParams(r!.phone, text))).statusCode).toBe(200);
      clock = new Date(clock.getTime() + 60_000);
    }
    const conversation = await env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: r!.phone } } });
    const inbound = await env.deps.db.message.findMany({ where: { conversationId: conversation.id, direction: 'inbound' }, orderBy: { createdAt: 'asc' } });
    expect(inbound).toHaveLength(3);
    const armed = await queue.getDelayed();
    expect(armed.map((j) => j.data)).toEqual([{ conversationId: conversation.id, messageId: inbound[0]!.id, attempt: 1 }]);

    // Due ten minutes after the first message; the newest came two minutes later, so it waits two more.
    clock = new Date(inbound[0]!.receivedAt.getTime() + 10 * 60_000);
    expect(await env.deps.silence.fire(armed[0]!.data)).toBe('deferred');
    const moved = (await queue.getDelayed()).find((j) => j.data.messageId === inbound[2]!.id);
    expect(moved?.data).toEqual({ conversationId: conversation.id, messageId: inbound[2]!.id, attempt: 1 });
    expect(moved?.opts.delay).toBe(inbound[2]!.receivedAt.getTime() + 10 * 60_000 - clock.getTime());
    expect(await env.deps.db.message.count({ where: { conversationId: conversation.id, direction: 'outbound', idempotencyKey: { startsWith: 'silence:' } } })).toBe(0);

    // When that one comes due with nothing new, the resident is reminded once.
    clock = new Date(inbound[2]!.receivedAt.getTime() + 10 * 60_000);
    expect(await env.deps.silence.fire(moved!.data)).toBe('fired');
    expect(await env.deps.db.message.count({ where: { conversationId: conversation.id, direction: 'outbound', idempotencyKey: { startsWith: 'silence:' } } })).toBe(1);
  });
});
