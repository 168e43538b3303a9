import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';

/**
 * Slows down guessing at the console sign-in: after too many wrong tokens from one address, that address waits.
 * Only failures count, so a township office signing in together behind one address is never locked out; tokens are
 * 192 random bits, so this is about noise and alerts rather than a real chance of guessing one.
 */
export type SignInGuard = {
  /** Refuses (429) while the address is locked out. */
  check(ip: string): Promise<void>;
  failed(ip: string): Promise<void>;
};

const WINDOW_S = 15 * 60;
const MAX_FAILURES = 20;

export function createSignInGuard(redis: Redis, prefix: string): SignInGuard {
  const key = (ip: string) => `${prefix}:sign-in-failures:${ip}`;
  return {
    async check(ip) {
      // If Redis is unreachable the guard steps aside: staff must still be able to sign in during an incident.
      const n = Number(await redis.get(key(ip)).catch(() => null));
      if (n >= MAX_FAILURES) {
        throw new AppError('too_many_attempts', `登录失败次数过多，请${WINDOW_S / 60}分钟后再试 / Too many wrong tokens from this address: wait ${WINDOW_S / 60} minutes`, 429);
      }
    },
    async failed(ip) {
      await redis
        .multi()
        .incr(key(ip))
        .expire(key(ip), WINDOW_S)
        .exec()
        .catch(() => undefined);
    },
  };
}
