import type { InboundMessage } from '../domain/messages.js';
import type { PersonalDataCipher } from './cipher.js';
import { maskKeypad, maskPersonalNumbers, maskPersonalNumbersIn } from './personal-numbers.js';

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
  const payload = JSON.stringify(msg.raw ?? {});
  if (text === msg.text && keypad === digits && JSON.stringify(maskPersonalNumbersIn(msg.raw ?? {})) === payload) return { text, digits, raw: msg.raw };
  const original: Original = { text: msg.text, digits, raw: msg.raw };
  return { text, digits: keypad, raw: { sealed: cipher.encrypt(JSON.stringify(original)) } };
}

/** The message as the resident sent it, from its stored form. */
export function openInbound(stored: { text: string; digits: string | null; raw: unknown }, cipher: PersonalDataCipher): Original {
  const raw = (stored.raw ?? {}) as Record<string, unknown>;
  if (typeof raw.sealed !== 'string') return { text: stored.text, digits: stored.digits, raw };
  return JSON.parse(cipher.decrypt(raw.sealed)) as Original;
}
