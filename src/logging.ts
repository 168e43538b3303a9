import pino, { type Logger } from 'pino';
import { maskPersonalNumbers } from './privacy/personal-numbers.js';

/**
 * Full ID numbers and phone numbers must never reach a log line, whatever field
 * they hide in, so the serialised line itself is scrubbed before it is written,
 * by the same masking as transcripts and staff views (src/privacy/personal-numbers.ts).
 */
export function scrubPersonalData(line: string): string {
  return maskPersonalNumbers(line, { jsonEscapes: true });
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
