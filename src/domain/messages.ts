import { z } from 'zod';

/** The channels a resident or staff member can reach the hotline through. */
export const CHANNELS = ['sms', 'voice', 'wecom_app', 'wecom_kf', 'console'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/**
 * One inbound message, whatever the provider. Channels normalise into this shape
 * before anything else happens; dialogs only ever see this.
 */
export const InboundMessage = z.object({
  channel: Channel,
  /** Provider's id for this delivery (MessageSid, CallSid+step, WeCom MsgId, kf msgid): dedupe key per channel. */
  providerId: z.string().min(1).max(200),
  /** Who sent it: E.164 phone for sms/voice, WeCom userid, WeChat external_userid. */
  sender: z.string().min(1).max(200),
  /** Which of our numbers / apps / kf accounts received it (12349 or 12345 number, agent id, open_kfid). */
  recipient: z.string().max(200).default(''),
  /** Typed text, or recognised speech. Empty for media-only or silent turns. */
  text: z.string().max(4000).default(''),
  /** Keypad digits for voice turns (may include * and #). */
  digits: z.string().max(64).optional(),
  /** Speech recognition confidence 0..1 when text came from speech. */
  speechConfidence: z.number().min(0).max(1).optional(),
  /** Non-text content the resident sent (image, voice note…): kept for staff, not understood. */
  media: z.array(z.object({ type: z.string(), ref: z.string() })).default([]),
  /** Provider's conversation handle (CallSid, kf open_kfid) where it has one. */
  conversationRef: z.string().max(200).optional(),
  receivedAt: z.coerce.date(),
  /** Raw provider payload, kept for audit (never logged). */
  raw: z.record(z.string(), z.unknown()).default({}),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

/**
 * What the bot says back, independent of channel. Channel renderers turn it into
 * TwiML <Say>/<Gather>, SMS text, or WeCom text.
 */
export const Reply = z.object({
  /** Full text for SMS and WeCom. */
  text: z.string(),
  /** Shorter spoken form for voice; falls back to text. */
  speech: z.string().optional(),
  /** What the next turn expects, so voice can offer the keypad. */
  expect: z
    .object({
      kind: z.enum(['speech', 'digits', 'any']).default('any'),
      /** Keypad hint spoken after the question, e.g. "请用按键输入，星号代表X，井号结束". */
      keypadHint: z.string().optional(),
      maxDigits: z.number().int().positive().optional(),
      finishOnKey: z.string().optional(),
    })
    .optional(),
  /** Voice: connect the caller to a duty officer after speaking. */
  dial: z.boolean().optional(),
  /** Voice: hang up after speaking. */
  hangup: z.boolean().optional(),
});
export type Reply = z.infer<typeof Reply>;
