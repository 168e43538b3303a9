import type { Prisma } from '../generated/prisma/client.js';
import { stageOutbound, type OutboundDraft } from '../messages/message-outbox.js';
import type { ReferralDeps } from './ports.js';

export type Tx = Prisma.TransactionClient;

/** Outbound messages are staged by the messages outbox, the Message table's one writer. */
export type { OutboundChannel, OutboundDraft } from '../messages/message-outbox.js';

/** Stages and dispatches messages outside any other change (e.g. a notice a dialog wants delivered reliably). */
export async function queueOutbound(deps: Pick<ReferralDeps, 'db' | 'outbox'>, drafts: OutboundDraft[], now: Date): Promise<string[]> {
  const keys = await stageOutbound(deps.db, drafts, now);
  await deps.outbox.dispatch(keys);
  return keys;
}

/** WeCom app messages to members, one per recipient (duplicates dropped), keyed under `keyBase`. */
export function staffMessages(
  deps: Pick<ReferralDeps, 'config'>,
  input: { keyBase: string; userIds: readonly (string | undefined)[]; text: string; purpose: string },
): OutboundDraft[] {
  const users = [...new Set(input.userIds.filter((u): u is string => !!u))];
  return users.map((to) => ({
    key: `${input.keyBase}.${to}`,
    channel: 'wecom_app',
    from: deps.config.wecom?.agentId ?? '',
    to,
    text: input.text,
    purpose: input.purpose,
  }));
}
