import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Console sign-ins, kept server-side so signing out (or deactivating a user) ends them at once. */
export type StaffSessions = {
  /** Starts a session for a staff member and returns its id, which goes into the cookie. */
  start(staffId: string): Promise<string>;
  /** The staff id behind a session id; each use extends an idle session. */
  staffIdOf(sessionId: string): Promise<string | undefined>;
  end(sessionId: string): Promise<void>;
};

/** An idle console session ends after a working day. */
export const SESSION_IDLE_S = 8 * 60 * 60;

/** Keys hold a hash of the session id, so a copy of Redis does not hand out usable sessions. */
export function createStaffSessions(redis: Redis, prefix: string, idleS = SESSION_IDLE_S): StaffSessions {
  const key = (sessionId: string) => `${prefix}:staff-session:${createHash('sha256').update(sessionId).digest('hex')}`;
  return {
    async start(staffId) {
      const sessionId = randomBytes(32).toString('base64url');
      await redis.set(key(sessionId), staffId, 'EX', idleS);
      return sessionId;
    },
    async staffIdOf(sessionId) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionId)) return undefined;
      return (await redis.getex(key(sessionId), 'EX', idleS)) ?? undefined;
    },
    async end(sessionId) {
      await redis.del(key(sessionId));
    },
  };
}
