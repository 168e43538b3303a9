import pino, { type Logger } from 'pino';

/**
 * Full ID numbers and phone numbers must never reach a log line, whatever field
 * they hide in, so the serialised line itself is scrubbed before it is written.
 */
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;

export function scrubPersonalData(line: string): string {
  return line
    .replace(ID_NUMBER, (_m, a: string, b: string) => `${a}***********${b}`)
    .replace(MOBILE, (_m, _cc: string | undefined, a: string, _mid: string, b: string) => `${a}****${b}`);
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
