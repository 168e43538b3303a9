import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Serialises turns of one conversation across processes, so two quick messages
 * from the same resident never read the same state and lose an answer.
 */
export async function withLock<T>(redis: Redis, key: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
  const ttl = opts.ttlMs ?? 15_000;
  const deadline = Date.now() + (opts.waitMs ?? 5_000);
  const token = randomBytes(8).toString('hex');
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    if ((await redis.set(key, token, 'PX', ttl, 'NX')) === 'OK') break;
    if (Date.now() > deadline) throw new AppError('conversation_busy', 'Another turn of this conversation is still running', 503, true);
    await new Promise((r) => setTimeout(r, delay));
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}

/** The one lock every change to a conversation's dialog state takes: resident turns, silence steps, staff changes. */
export function withConversationLock<T>(redis: Redis, prefix: string, conversationId: string, fn: () => Promise<T>): Promise<T> {
  return withLock(redis, `${prefix}:lock:conv:${conversationId}`, fn);
}
