import type { Background } from '../background.js';
import type { WecomCrypto } from '../channels/wecom/crypto.js';
import type { Sql } from '../db/client.js';
import type { Intake } from '../intake/intake.js';
import type { ChannelSenders } from '../channels/senders.js';
import type { StaffDeps } from '../staff/ports.js';

/**
 * What the HTTP side (staff API, console, Open311, channel webhooks, metrics) is built from: the services the
 * composition root builds (src/composition.ts).
 */
export type AppDeps = StaffDeps & {
  /** Prisma's own pool, for the few hot statements written in plain SQL. */
  sql: Sql;
  senders: ChannelSenders;
  wecomCrypto?: WecomCrypto;
  intake: Intake;
  background: Background;
};
