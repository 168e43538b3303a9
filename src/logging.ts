import pino, { type Logger } from 'pino';
import { maskRepeated } from './privacy/personal-numbers.js';

/**
 * Full ID numbers and phone numbers must never reach a log line, whatever field
 * they hide in, so the serialised line itself is scrubbed before it is written,
 * by the same masking as transcripts and staff views (src/privacy/personal-numbers.ts).
 */
export function scrubPersonalData(line: string): string {
  let out = '';
  let last = 0;
  // The parts of a line between its values repeat line after line: those holding no number are not read again.
  for (const m of line.matchAll(JSON_NUMBER)) {
    out += maskRepeated(line.slice(last, m.index), JSON_TEXT) + numberValue(m[0]);
    last = m.index + m[0].length;
  }
  return out + maskRepeated(line.slice(last), JSON_TEXT);
}

const JSON_TEXT = { jsonEscapes: true };

/** A number written as a JSON value ("responseTime":1.1099…). */
const JSON_NUMBER = /(?<=":)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?=[,}\]])/g;

/**
 * A measured value (a duration with its decimals) is nobody's number, and its dot is no separator between
 * digit groups. An integer that reads as an ID or phone is masked, as a string so the line stays JSON.
 */
function numberValue(n: string): string {
  if (/[.eE]/.test(n)) return n;
  const masked = maskRepeated(n);
  return masked === n ? n : JSON.stringify(masked);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hotline' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.idNumber', '*.password', '*.token'], censor: '[redacted]' },
      hooks: { streamWrite: scrubPersonalData },
    },
    destination,
  );
}

export type { Logger };
