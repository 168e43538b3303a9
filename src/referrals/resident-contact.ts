import type { OutboundDraft, Tx } from './outbound.js';
import type { ReferralDeps } from './ports.js';

type Route = Pick<OutboundDraft, 'channel' | 'from' | 'to' | 'conversationId'>;

/** A mainland mobile as E.164; other numbers are kept as given (Twilio rejects what it cannot route). */
function e164(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^86(1[3-9]\d{9})$/.test(digits)) return `+${digits}`;
  return digits;
}

/**
 * How to reach the resident of a case on the channel they used: WeCom customer service or app back through the
 * conversation they wrote in, anything else by SMS to the case's phone. Undefined when there is no way back.
 */
export async function residentRoute(tx: Tx, deps: Pick<ReferralDeps, 'config'>, caseId: string): Promise<Route | undefined> {
  const c = await tx.case.findUnique({ where: { id: caseId }, select: { channel: true, phone: true, conversationId: true } });
  if (!c) return undefined;
  // The last message the resident sent names both ends: their id (sender) and our kf account or number (recipient).
  const last = c.conversationId
    ? await tx.message.findFirst({
        where: { conversationId: c.conversationId, direction: 'inbound' },
        orderBy: { receivedAt: 'desc' },
        select: { channel: true, sender: true, recipient: true },
      })
    : null;
  const conversationId = c.conversationId;
  if (c.channel === 'wecom_kf' && last?.channel === 'wecom_kf') {
    return { channel: 'wecom_kf', from: last.recipient, to: last.sender, conversationId };
  }
  if (c.channel === 'wecom_app' && last?.channel === 'wecom_app') {
    return { channel: 'wecom_app', from: deps.config.wecom?.agentId ?? last.recipient, to: last.sender, conversationId };
  }
  const phone = c.phone ?? (last && (last.channel === 'sms' || last.channel === 'voice') ? last.sender : null);
  if (!phone) return undefined;
  const twilio = deps.config.twilio;
  return { channel: 'sms', from: twilio?.numbers.civil ?? twilio?.numbers.service ?? '', to: e164(phone), conversationId: c.channel === 'sms' ? conversationId : null };
}
