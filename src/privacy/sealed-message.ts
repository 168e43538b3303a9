import type { InboundMessage } from '../domain/messages.js';
import type { PersonalDataCipher } from './cipher.js';
import { maskKeypad, maskPersonalNumbers, maskRepeated } from './personal-numbers.js';

/** What is stored of an inbound message: the text and keypad digits masked, the original sealed in `raw`. */
export type StoredInbound = { text: string; digits: string | null; raw: Record<string, unknown> };

type Original = { text: string; digits: string | null; raw: Record<string, unknown> };

/**
 * An inbound message as it is kept at rest. A message holding an ID or phone number (in its text, its keys or
 * anywhere in the provider's payload, such as Twilio's `From`) is stored masked, with the resident's exact words and
 * the provider's payload sealed (AES-GCM) in `raw.sealed`: staff read the masked transcript, and a turn replayed
 * after an outage reads the original back. Messages without one are stored as they came.
 */
export function sealInbound(msg: Pick<InboundMessage, 'text' | 'digits' | 'raw'>, cipher: PersonalDataCipher): StoredInbound {
  const digits = msg.digits ?? null;
  const text = maskPersonalNumbers(msg.text);
  const keypad = digits === null ? null : maskKeypad(digits);
  if (text === msg.text && keypad === digits && !holdsPersonalNumber(msg.raw ?? {}, text)) return { text, digits, raw: msg.raw };
  const original: Original = { text: msg.text, digits, raw: msg.raw };
  return { text, digits: keypad, raw: { sealed: cipher.encrypt(JSON.stringify(original)) } };
}

/**
 * Whether masking would change any string in a payload (what maskPersonalNumbersIn would mask), stopping at the
 * first: a provider's payload usually carries the sender's number early (Twilio's `From`), and nothing is built or
 * serialised to find out. `clean` is a string already known to hold none (the message's text, which Twilio repeats
 * as `Body`). The payload's other strings mostly come with every message (the account, our number, the app), and
 * are read once (maskRepeated).
 */
function holdsPersonalNumber(value: unknown, clean: string): boolean {
  if (typeof value === 'string') return value !== clean && maskRepeated(value) !== value;
  if (Array.isArray(value)) return value.some((v) => holdsPersonalNumber(v, clean));
  if (value && typeof value === 'object' && !(value instanceof Date)) return Object.values(value).some((v) => holdsPersonalNumber(v, clean));
  return false;
}

/** The message as the resident sent it, from its stored form. */
export function openInbound(stored: { text: string; digits: string | null; raw: unknown }, cipher: PersonalDataCipher): Original {
  const raw = (stored.raw ?? {}) as Record<string, unknown>;
  if (typeof raw.sealed !== 'string') return { text: stored.text, digits: stored.digits, raw };
  return JSON.parse(cipher.decrypt(raw.sealed)) as Original;
}
