import type { Redis } from 'ioredis';
import { DialogState } from '../dialogs/state.js';

/** Dialog state of a conversation in flight: Redis with a TTL, with the database copy as fallback. */
export type SessionStore = {
  load(conversationId: string, dbCopy: unknown): Promise<DialogState | undefined>;
  save(conversationId: string, state: DialogState): Promise<void>;
};

const TTL_S = 24 * 60 * 60;

export function createSessionStore(redis: Redis, prefix: string): SessionStore {
  const key = (id: string) => `${prefix}:dlg:${id}`;
  const parse = (value: unknown) => {
    const parsed = DialogState.safeParse(value);
    // A state from an older version, or damaged, restarts the dialog with a safe prompt instead of failing the turn.
    return parsed.success ? parsed.data : undefined;
  };
  return {
    async load(conversationId, dbCopy) {
      const cached = await redis.get(key(conversationId));
      if (cached) return parse(JSON.parse(cached));
      return dbCopy ? parse(dbCopy) : undefined;
    },
    async save(conversationId, state) {
      await redis.set(key(conversationId), JSON.stringify(state), 'EX', TTL_S);
    },
  };
}
