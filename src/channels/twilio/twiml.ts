import twilio from 'twilio';
import type { Reply } from '../../domain/messages.js';
import { TwimlConfigError } from './errors.js';

/** Query marker added to the action URL when the caller said and pressed nothing. */
export const NO_INPUT_PARAM = 'noInput';

/** Twilio refuses message bodies over 1600 characters (error 21617), so longer replies are split. */
export const SMS_MAX_CHARS = 1600;

const SAY = { language: 'cmn-CN', voice: 'Polly.Zhiyu' } as const;
/** Seconds of silence before Gather gives up; keying in an 18-character ID takes longer than answering. */
const SPEECH_TIMEOUT_S = 6;
const DIGITS_TIMEOUT_S = 10;
const DIAL_TIMEOUT_S = 20;
const RECORD_MAX_S = 120;

function splitSms(text: string): string[] {
  const chars = Array.from(text); // code points, so a split never halves a surrogate pair
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += SMS_MAX_CHARS) parts.push(chars.slice(i, i + SMS_MAX_CHARS).join(''));
  return parts;
}

/** One <Message> per reply (split when too long); `<Response/>` sends nothing back. */
export function smsTwiml(replies: Reply[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const reply of replies) {
    for (const part of splitSms(reply.text)) response.message(part);
  }
  return response.toString();
}

export interface VoiceTwimlOptions {
  /** Where Gather posts the next turn (absolute or relative to the current request). */
  actionUrl: string;
  /** Duty numbers rung together when a reply asks to connect the caller. */
  dialNumbers?: string[];
  /** Receives DialCallStatus once the connected call ends or nobody answers. */
  dialActionUrl?: string;
  /** Voicemail target used when a connection is asked for but no duty number is available. */
  recordActionUrl?: string;
}

function withNoInputMarker(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${NO_INPUT_PARAM}=1`;
}

const spoken = (reply: Reply): string => (reply.speech ?? reply.text).trim();

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;

function connect(response: VoiceResponse, opts: VoiceTwimlOptions): void {
  const numbers = opts.dialNumbers?.filter(Boolean) ?? [];
  if (numbers.length > 0) {
    const dial = response.dial({ timeout: DIAL_TIMEOUT_S, ...(opts.dialActionUrl ? { action: opts.dialActionUrl, method: 'POST' } : {}) });
    for (const n of numbers) dial.number(n);
    return;
  }
  if (opts.recordActionUrl) {
    response.record({ action: opts.recordActionUrl, method: 'POST', maxLength: RECORD_MAX_S, playBeep: true, finishOnKey: '#' });
    return;
  }
  throw new TwimlConfigError('A reply asks to connect the caller but there is no duty number and no voicemail URL: configure duty numbers for this line');
}

function ask(response: VoiceResponse, question: Reply | undefined, actionUrl: string): void {
  const expect = question?.expect;
  const digits = expect?.kind === 'digits';
  const gather = response.gather({
    input: ['speech', 'dtmf'],
    language: 'cmn-Hans-CN',
    action: actionUrl,
    method: 'POST',
    speechTimeout: 'auto',
    timeout: digits ? DIGITS_TIMEOUT_S : SPEECH_TIMEOUT_S,
    // '#' ends keypad entry so '*' stays free to stand for the X in ID numbers.
    ...(digits ? { finishOnKey: expect.finishOnKey ?? '#' } : {}),
    ...(digits && expect.maxDigits ? { numDigits: expect.maxDigits } : {}),
  });
  const text = question ? spoken(question) : '';
  if (text) gather.say(SAY, text);
  if (expect?.keypadHint) gather.say(SAY, expect.keypadHint);
  // Only reached when Gather heard nothing: come back to the same step, marked as silent.
  response.redirect({ method: 'POST' }, withNoInputMarker(actionUrl));
}

/**
 * Renders one voice turn in Mandarin. Earlier replies are spoken first; the last one
 * is asked inside <Gather> unless a reply connects the caller or ends the call.
 */
export function voiceTwiml(replies: Reply[], opts: VoiceTwimlOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  const dial = replies.some((r) => r.dial);
  const hangup = replies.some((r) => r.hangup);
  const statements = dial || hangup ? replies : replies.slice(0, -1);
  for (const reply of statements) {
    const text = spoken(reply);
    if (text) response.say(SAY, text);
  }
  if (dial) connect(response, opts);
  if (hangup) response.hangup();
  if (!dial && !hangup) ask(response, replies.at(-1), opts.actionUrl);
  return response.toString();
}
