import type { Db } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import type { TurnResult } from '../intake/turn.js';
import type { Logger } from '../logging.js';
import type { TwilioRest } from './twilio/rest.js';
import type { WecomApi } from './wecom/api.js';

export type ChannelSenders = {
  twilio?: TwilioRest;
  /** Our SMS number used when a reply cannot go back on the number the resident used (e.g. after a call). */
  smsFrom?: string;
  wecomApp?: { api: WecomApi; agentId: string };
  wecomKf?: WecomApi;
};

/**
 * Sends a turn's stored replies through the channel's API, for channels that
 * cannot answer in the webhook response (WeCom) and for answers that come
 * later (recovery). A row already `sent` is skipped, so a retry never repeats one.
 * A voice caller who has hung up gets the answer by SMS.
 */
export async function deliverReplies(deps: { db: Db; logger: Logger; senders: ChannelSenders }, msg: InboundMessage, result: TurnResult): Promise<void> {
  const rows = await deps.db.message.findMany({ where: { id: { in: result.outboundIds } }, orderBy: { idempotencyKey: 'asc' } });
  for (const row of rows) {
    if (row.status === 'sent') continue;
    try {
      const providerId = await sendOne(deps.senders, msg, row.text);
      await deps.db.message.update({ where: { id: row.id }, data: { status: 'sent', ...(providerId ? { providerId } : {}), error: null } });
    } catch (err) {
      await deps.db.message.update({ where: { id: row.id }, data: { status: 'failed', error: (err as Error).message.slice(0, 500) } });
      deps.logger.error({ err: (err as Error).message, channel: msg.channel, messageId: row.id }, 'reply could not be sent');
    }
  }
}

async function sendOne(s: ChannelSenders, msg: InboundMessage, text: string): Promise<string | undefined> {
  switch (msg.channel) {
    case 'sms':
    case 'voice': {
      if (!s.twilio) throw new Error('Twilio is not configured: cannot send an SMS reply');
      const from = msg.channel === 'sms' && msg.recipient ? msg.recipient : s.smsFrom;
      if (!from) throw new Error('No SMS number configured (TWILIO_NUMBER_12349)');
      return (await s.twilio.sendSms({ from, to: msg.sender, body: text })).sid;
    }
    case 'wecom_app': {
      if (!s.wecomApp) throw new Error('WeCom app is not configured (WECOM_SECRET, WECOM_AGENT_ID)');
      return (await s.wecomApp.api.sendAppText({ agentId: s.wecomApp.agentId, toUser: msg.sender, content: text })).msgid || undefined;
    }
    case 'wecom_kf': {
      if (!s.wecomKf) throw new Error('WeChat customer service is not configured (WECOM_KF_SECRET)');
      return (await s.wecomKf.kfSendText({ toUser: msg.sender, openKfId: msg.recipient, content: text })).msgid || undefined;
    }
    case 'console':
      return undefined;
  }
}
