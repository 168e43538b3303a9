import { z } from 'zod';
import { InboundMessage } from '../../domain/messages.js';
import { TwilioParamsError } from './errors.js';
import type { TwilioParams } from './signature.js';

/** Twilio sends every field as a string; SIDs are kept loose because docs examples use short ones. */
const sid = z.string().min(2).max(64);
const count = z.string().regex(/^\d+$/).default('0').transform(Number);

/** Incoming SMS/MMS webhook (twilio.com/docs/messaging/guides/webhook-request). */
export const TwilioSmsParams = z.looseObject({
  MessageSid: sid,
  AccountSid: sid,
  MessagingServiceSid: sid.optional(),
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  Body: z.string().default(''),
  NumMedia: count,
  NumSegments: count,
});
export type TwilioSmsParams = z.infer<typeof TwilioSmsParams>;

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export const DIAL_CALL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;

/** Voice webhooks: the incoming call, <Gather>/<Record> actions and the <Dial> action. */
export const TwilioVoiceParams = z.looseObject({
  CallSid: sid,
  AccountSid: sid,
  // A withheld caller ID can arrive empty; the call must still be answered.
  From: z.string().max(64).default(''),
  To: z.string().max(64).default(''),
  CallStatus: z.enum(CALL_STATUSES),
  Direction: z.string().optional(),
  SpeechResult: z.string().optional(),
  Confidence: z.string().optional(),
  Digits: z.string().optional(),
  FinishedOnKey: z.string().optional(),
  RecordingUrl: z.url().optional(),
  RecordingSid: sid.optional(),
  RecordingDuration: z.string().optional(),
  DialCallStatus: z.enum(DIAL_CALL_STATUSES).optional(),
  DialCallSid: sid.optional(),
  DialCallDuration: z.string().optional(),
});
export type TwilioVoiceParams = z.infer<typeof TwilioVoiceParams>;

function parseWith<T extends z.ZodType>(schema: T, params: TwilioParams, what: string): z.infer<T> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  // Field names only: values may be phone numbers.
  const fields = [...new Set(result.error.issues.map((i) => i.path.join('.') || '(root)'))];
  throw new TwilioParamsError(`Twilio ${what} webhook has missing or malformed fields: ${fields.join(', ')}`, { fields });
}

export const parseSmsParams = (params: TwilioParams): TwilioSmsParams => parseWith(TwilioSmsParams, params, 'SMS');
export const parseVoiceParams = (params: TwilioParams): TwilioVoiceParams => parseWith(TwilioVoiceParams, params, 'voice');

/** Twilio allows at most 10 media per MMS; anything beyond is not Twilio's shape. */
const MAX_MEDIA = 10;

function smsMedia(p: TwilioSmsParams): InboundMessage['media'] {
  const media: InboundMessage['media'] = [];
  for (let i = 0; i < Math.min(p.NumMedia, MAX_MEDIA); i++) {
    const url = p[`MediaUrl${i}`];
    const type = p[`MediaContentType${i}`];
    if (typeof url === 'string' && url) {
      media.push({ type: typeof type === 'string' && type ? type : 'application/octet-stream', ref: url });
    }
  }
  return media;
}

function toInbound(candidate: Record<string, unknown>, what: string): InboundMessage {
  const result = InboundMessage.safeParse(candidate);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((i) => i.path.join('.')))];
  throw new TwilioParamsError(`Twilio ${what} webhook does not fit an inbound message: ${fields.join(', ')}`, { fields });
}

/** An SMS/MMS; an empty body or a media-only message is a valid message. */
export function smsToInbound(params: TwilioParams, receivedAt: Date): InboundMessage {
  const p = parseSmsParams(params);
  return toInbound(
    {
      channel: 'sms',
      providerId: p.MessageSid,
      sender: p.From,
      recipient: p.To,
      text: p.Body,
      media: smsMedia(p),
      receivedAt,
      raw: { ...params },
    },
    'SMS',
  );
}

function confidence(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : undefined;
}

/**
 * One turn of a call. `turn` names the step whose action URL Twilio called, so a
 * retried request for the same step yields the same providerId and is deduped.
 */
export function voiceTurnToInbound(params: TwilioParams, turn: string, receivedAt: Date): InboundMessage {
  if (!turn || turn.length > 100) {
    throw new TwilioParamsError('Voice turn must be a non-empty step name of at most 100 characters');
  }
  const p = parseVoiceParams(params);
  const speech = p.SpeechResult?.trim() ?? '';
  // <Record> reports Digits="hangup" when the caller hung up: that is not keypad input.
  const digits = p.Digits && /^[0-9*#]+$/.test(p.Digits) ? p.Digits : undefined;
  return toInbound(
    {
      channel: 'voice',
      providerId: `${p.CallSid}:${turn}`,
      sender: p.From || 'anonymous',
      recipient: p.To,
      text: speech,
      digits,
      speechConfidence: speech ? confidence(p.Confidence) : undefined,
      media: p.RecordingUrl ? [{ type: 'audio/wav', ref: p.RecordingUrl }] : [],
      conversationRef: p.CallSid,
      receivedAt,
      raw: { ...params },
    },
    'voice',
  );
}
