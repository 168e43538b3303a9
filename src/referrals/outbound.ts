import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { maskPersonalNumbers } from '../privacy/personal-numbers.js';
import type { ReferralDeps } from './ports.js';

export type Tx = Prisma.TransactionClient;

/** Channels the hotline sends on; `voice` is an outgoing call that speaks `text`. */
export type OutboundChannel = 'wecom_app' | 'wecom_kf' | 'sms' | 'voice';

/**
 * A message to send, addressed the way its channel needs: wecom_app from the agent id to a member's userid,
 * wecom_kf from the open_kfid to an external_userid, sms/voice from our number to an E.164 number.
 */
export interface OutboundDraft {
  /** Same key, same message: a retried step or job never sends twice. */
  key: string;
  channel: OutboundChannel;
  from: string;
  to: string;
  text: string;
  /** What the message is for (announce, reminder, resident_answer…), kept with it for the record. */
  purpose: string;
  conversationId?: string | null;
  /** Extra data a channel needs, e.g. the TwiML URL of a call. */
  extra?: Record<string, string>;
}

/**
 * Stores drafts as queued outbound Message rows, inside the caller's transaction, so a message exists exactly when
 * the change that caused it committed (a transactional outbox). Repeated keys are skipped. Returns every key.
 */
export async function stageOutbound(tx: Tx | Db, drafts: OutboundDraft[], now: Date): Promise<string[]> {
  if (drafts.length === 0) return [];
  await tx.message.createMany({
    skipDuplicates: true,
    data: drafts.map((d) => ({
      channel: d.channel,
      direction: 'outbound' as const,
      // Unique per channel until the provider's own id replaces it on sending.
      providerId: d.key,
      idempotencyKey: d.key,
      conversationId: d.conversationId ?? null,
      sender: d.from,
      recipient: d.to,
      // Never a full ID or phone number in a message, whatever a staff member typed into a result.
      text: maskPersonalNumbers(d.text),
      raw: { purpose: d.purpose, ...d.extra },
      status: 'queued' as const,
      receivedAt: now,
    })),
  });
  return drafts.map((d) => d.key);
}

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
