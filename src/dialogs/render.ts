import type { Channel, Reply } from '../domain/messages.js';
import { spokenTrackingNumber } from '../domain/tracking-number.js';

/**
 * Channel adjustments to the replies of one turn. The engine speaks one neutral
 * language; here it becomes one spoken prompt with keypad expectations (voice),
 * SMS-sized texts, or plain WeCom text.
 */

const SMS_LIMIT = 300;
/** WeCom text messages are capped at 2048 bytes; 600 Chinese characters stay well inside. */
const TEXT_LIMIT = 600;

export function renderFor(channel: Channel, replies: Reply[]): Reply[] {
  if (replies.length === 0) return [];
  if (channel === 'voice') return [forVoice(replies)];
  const text = replies.map((r) => r.text).join('\n');
  return split(text, channel === 'sms' ? SMS_LIMIT : TEXT_LIMIT).map((chunk) => ({ text: chunk }));
}

function forVoice(replies: Reply[]): Reply {
  const speech = replies.map((r) => speak(r.speech ?? r.text)).join('');
  const text = replies.map((r) => r.text).join('\n');
  const dial = replies.some((r) => r.dial);
  const hangup = replies.some((r) => r.hangup);
  if (dial) return { text, speech, dial };
  if (hangup) return { text, speech, hangup };
  // Only the last question decides what the caller may answer with.
  return { text, speech, expect: replies.at(-1)?.expect ?? { kind: 'any' } };
}

/**
 * Text as it should sound: masked numbers read as their tail, keypad wording,
 * tracking numbers in groups of four, and every other number of three or more characters
 * read digit by digit (12349, 119), which is how Chinese callers expect to hear them.
 */
export function speak(text: string): string {
  return text
    .replace(/\d{3}\*+([\dX]{4})/g, '尾号$1')
    .replace(/回复(\d)/g, '按$1')
    .replace(/回复(?=["“])/g, '说')
    .replace(/[【】“”"（）()]/g, '')
    .replace(/\s*\n+\s*/g, '，')
    // A tracking number in three groups of four, as it is printed, so it can be written down.
    .replace(/(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)/g, (n) => spokenTrackingNumber(n.replace(/\D/g, '')))
    .replace(/[A-Z]*\d[\dA-Z-]{2,}/g, (token) => token.replace(/-/g, '').split('').join(' '));
}

/** Split at sentence or line ends so each piece fits; an overlong sentence is cut hard. */
function split(text: string, limit: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of text.split(/(?<=[。！？\n])/)) {
    if (current && (current + piece).length > limit) {
      out.push(current.trim());
      current = '';
    }
    current += piece;
    while (current.length > limit) {
      out.push(current.slice(0, limit));
      current = current.slice(limit);
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
