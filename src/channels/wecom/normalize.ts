import { InboundMessage } from '../../domain/messages.js';
import type { KfMessage } from './api.js';
import { WecomNotCustomerMessageError } from './errors.js';
import type { WecomAppMedia, WecomAppText } from './xml.js';

/** kf/sync_msg origin of messages typed by the WeChat user (4 is a system event, 5 a staff reply). */
export const KF_ORIGIN_CUSTOMER = 3;

/** A message in a member's chat with the hotline app. */
export function appTextToInbound(msg: WecomAppText, receivedAt: Date): InboundMessage {
  return InboundMessage.parse({
    channel: 'wecom_app',
    providerId: msg.MsgId,
    sender: msg.FromUserName,
    recipient: msg.AgentID,
    text: msg.Content,
    receivedAt,
    raw: { ...msg },
  });
}

/** An image, voice note or video sent to the app: passed on for staff with no text. */
export function appMediaToInbound(msg: WecomAppMedia, receivedAt: Date): InboundMessage {
  return InboundMessage.parse({
    channel: 'wecom_app',
    providerId: msg.MsgId,
    sender: msg.FromUserName,
    recipient: msg.AgentID,
    media: [{ type: msg.MsgType, ref: msg.MediaId }],
    receivedAt,
    raw: { ...msg },
  });
}

/** Whether a sync_msg record is something a resident said (the only records dialogs see). */
export function isCustomerMessage(msg: KfMessage): msg is KfMessage & { external_userid: string } {
  return msg.origin === KF_ORIGIN_CUSTOMER && Boolean(msg.external_userid);
}

function kfMedia(msg: KfMessage): InboundMessage['media'] {
  if (msg.msgtype === 'text') return [];
  const body = msg[msg.msgtype];
  const mediaId = body && typeof body === 'object' && 'media_id' in body ? String(body.media_id) : '';
  // Locations, links, mini-programs…: the type alone tells staff what arrived.
  return [{ type: msg.msgtype, ref: mediaId }];
}

/** A message a WeChat user sent to a customer-service account; filter with isCustomerMessage first. */
export function kfMessageToInbound(msg: KfMessage, receivedAt: Date): InboundMessage {
  if (!isCustomerMessage(msg)) {
    throw new WecomNotCustomerMessageError(
      `kf message ${msg.msgid} has origin ${msg.origin}, not a WeChat user's message: filter sync_msg results with isCustomerMessage`,
    );
  }
  return InboundMessage.parse({
    channel: 'wecom_kf',
    providerId: msg.msgid,
    sender: msg.external_userid,
    recipient: msg.open_kfid,
    text: msg.text?.content ?? '',
    media: kfMedia(msg),
    conversationRef: msg.open_kfid,
    receivedAt,
    raw: { ...msg },
  });
}
