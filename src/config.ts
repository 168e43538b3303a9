import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting the hotline reads, parsed once at start. Defaults work on a
 * developer machine with local PostgreSQL and Redis; production sets them all.
 */

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (fallback?: string) => {
  const s = z.string().url('must be a URL such as http://host:port');
  return fallback === undefined ? s : s.default(fallback);
};

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int('must be a whole number').min(min).max(max).default(fallback);

/** An IP address, or one with a prefix length (10.0.0.0/8, fd00::/8). */
function isNetwork(entry: string): boolean {
  const [address = '', bits] = entry.split('/');
  const family = isIP(address);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** A development-only data key, so `npm start` works out of the box; production must set DATA_KEY. */
const DEV_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

/** The county `npm start` loads when COUNTY_FILE is not set: with NODE_ENV development, a demo on one machine. */
const DEMO_COUNTY_FILE = 'data/counties/lanshan.json';

/** An address only this machine can open (a staff member's phone cannot). */
const isThisMachine = (u: string) => /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i.test(new URL(u).hostname);

/** Outside production: a tracking key of its own derived from the data key (a key used for one purpose only). */
const derivedTrackingKey = (dataKey: Buffer) => createHmac('sha256', dataKey).update('hotline tracking-number key').digest();

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(3000, 0, 65535),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .default('postgresql://postgres@127.0.0.1:5432/hotline'),
    /** redis://, rediss://, or redis+sentinel://host:port[,host:port…]/masterName[/db] behind Redis Sentinel (src/redis.ts). */
    REDIS_URL: z
      .string()
      .regex(/^(rediss?|redis\+sentinel):\/\//, 'must be a redis://, rediss:// or redis+sentinel:// URL')
      .default('redis://127.0.0.1:6379'),
    /**
     * Prefix for every Redis key and BullMQ queue, so several deployments (or test files) share one Redis. A hash tag
     * (`{hotline}`) keeps every key in one Redis Cluster slot, as BullMQ's multi-key scripts need on a Cluster.
     */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]*(\{[A-Za-z0-9:_-]+\})?[A-Za-z0-9:_-]*$/, 'letters, digits, : _ - and at most one {hash tag}')
      .min(1)
      .default('hotline'),
    PUBLIC_BASE_URL: url('http://localhost:3000').transform((u) => u.replace(/\/+$/, '')),
    COUNTY_FILE: z.string().default(DEMO_COUNTY_FILE),
    /** Minutes of silence before a resident mid-dialog gets a reminder; as long again and the partial record is saved for a callback. */
    DIALOG_SILENCE_MINUTES: z.coerce.number().positive('must be a positive number of minutes').default(10),
    /** Where inbound messages are journalled when PostgreSQL is down, so none is lost. */
    SPOOL_DIR: z.string().default('var/spool'),
    /** 32-byte key (base64) for encrypting ID numbers and keying their lookup hash. */
    DATA_KEY: optional.pipe(
      z
        .string()
        .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
        .optional(),
    ),
    /**
     * 32-byte key (base64) of the permutation that makes tracking numbers unguessable (src/domain/tracking-number.ts).
     * Unset outside production, it is derived from DATA_KEY, so the demo and the tests issue the same numbers each run.
     */
    TRACKING_KEY: optional.pipe(
      z
        .string()
        .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
        .optional(),
    ),
    TWILIO_ACCOUNT_SID: optional,
    TWILIO_AUTH_TOKEN: optional,
    TWILIO_NUMBER_12349: optional,
    TWILIO_NUMBER_12345: optional,
    TWILIO_API_BASE_URL: url('https://api.twilio.com').transform((u) => u.replace(/\/+$/, '')),
    WECOM_CORP_ID: optional,
    WECOM_TOKEN: optional,
    WECOM_ENCODING_AES_KEY: optional.pipe(z.string().length(43, 'must be the 43-character EncodingAESKey').optional()),
    WECOM_AGENT_ID: optional,
    WECOM_SECRET: optional,
    WECOM_KF_SECRET: optional,
    WECOM_API_BASE_URL: url('https://qyapi.weixin.qq.com').transform((u) => u.replace(/\/+$/, '')),
    WECOM_REPLAY_WINDOW_S: int(300, 0),
    /** Webhook requests a minute one resident (Twilio From) may send; beyond it they get 429 until the minute passes. 0 turns limiting off. */
    RATE_LIMIT_PER_SENDER: int(30, 0),
    /** WeCom callbacks a minute per source IP: they are encrypted, so the sender is unknown, and all come from Tencent's servers. 0 turns it off. */
    RATE_LIMIT_WECOM_PER_IP: int(1200, 0),
    LLM_BASE_URL: optional.pipe(z.string().url('must be a URL such as http://127.0.0.1:8000/v1').optional()),
    LLM_API_KEY: optional,
    LLM_MODEL: optional,
    LLM_TIMEOUT_MS: int(3000, 100, 60_000),
    /**
     * Hours ahead that escalation timers are held in Redis as delayed jobs; later ones wait in PostgreSQL until the
     * periodic sweep (every 5 minutes) brings them in, so Redis holds the work due soon, not all open work.
     */
    TIMER_HORIZON_HOURS: z.coerce.number().min(1, 'must be at least 1 hour (the sweep runs every 5 minutes)').max(24 * 366).default(24),
    /** Days a staff token (from `hotline staff add`) works after it was issued; `hotline staff revoke` ends one at once. */
    STAFF_TOKEN_DAYS: int(90, 1, 3660),
    /** Bearer token a Prometheus scraper sends for /metrics (and that opens /docs); unset, only staff and METRICS_ALLOW_FROM get in. */
    METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters (openssl rand -hex 24)').optional()),
    /** Networks (comma-separated addresses or subnets) allowed /metrics and /docs without signing in; the TCP peer address is checked, not X-Forwarded-For. */
    METRICS_ALLOW_FROM: optional.pipe(
      z
        .string()
        .optional()
        .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
        .refine((list) => list.every(isNetwork), 'must be comma-separated IP addresses or subnets, e.g. 127.0.0.1,10.0.0.0/8,::1'),
    ),
    /** Seconds one read of /metrics and of the public Open311 list is served again, so polling cannot load the database the webhooks use; 0 = no cache. */
    METRICS_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(15),
    OPEN311_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
    /** Failed progress lookups (phone + last 4 of the ID, or a tracking number) one sender may make, and one case may be the target of, per window; then the resident is told to call. */
    PROGRESS_LOOKUP_MAX_FAILURES: int(5, 1, 1000),
    PROGRESS_LOOKUP_WINDOW_HOURS: z.coerce.number().positive('must be a positive number of hours').max(24 * 366).default(24),
    /** Run BullMQ workers in this process (npm start does; a web-only process sets false). */
    RUN_WORKERS: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
  })
  .superRefine((env, ctx) => {
    const group = (names: (keyof typeof env)[], what: string) => {
      const set = names.filter((n) => env[n] !== undefined);
      if (set.length > 0 && set.length < names.length) {
        for (const n of names.filter((n) => env[n] === undefined)) {
          ctx.addIssue({ code: 'custom', path: [n], message: `is required when ${what} is configured (${set.join(', ')} set)` });
        }
      }
    };
    group(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'], 'Twilio');
    group(['WECOM_CORP_ID', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'], 'WeCom');
    group(['LLM_BASE_URL', 'LLM_MODEL'], 'an LLM');
    if (env.NODE_ENV === 'production' && env.DATA_KEY === undefined) {
      ctx.addIssue({ code: 'custom', path: ['DATA_KEY'], message: 'is required in production (openssl rand -base64 32)' });
    }
    if (env.NODE_ENV === 'production' && env.TRACKING_KEY === undefined) {
      ctx.addIssue({ code: 'custom', path: ['TRACKING_KEY'], message: 'is required in production (openssl rand -base64 32)' });
    }
  });

export type Env = z.input<typeof Env>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseConfig(env: Record<string, string | undefined>) {
  const result = Env.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = result.data;
  const demo = e.NODE_ENV === 'development' && e.COUNTY_FILE === DEMO_COUNTY_FILE;
  const publicUrlProblem = !env.PUBLIC_BASE_URL?.trim() ? 'unset' : isThisMachine(e.PUBLIC_BASE_URL) ? 'local' : undefined;
  return {
    env: e.NODE_ENV,
    /** `npm start` as shipped: the demo county on a developer machine. */
    demo,
    http: {
      port: e.PORT,
      host: e.HOST,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      /** Why PUBLIC_BASE_URL is no address a staff phone can open, if it is not. */
      publicUrlProblem,
      /** Staff notices link to the console only where the link can open: a public URL, or the demo on this machine. */
      staffLinks: publicUrlProblem === undefined || demo,
    },
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    countyFile: e.COUNTY_FILE,
    rateLimit: { perSender: e.RATE_LIMIT_PER_SENDER, wecomPerIp: e.RATE_LIMIT_WECOM_PER_IP },
    spoolDir: e.SPOOL_DIR,
    dialogSilenceMs: Math.round(e.DIALOG_SILENCE_MINUTES * 60_000),
    dataKey: Buffer.from(e.DATA_KEY ?? DEV_DATA_KEY, 'base64'),
    dataKeyIsDevDefault: e.DATA_KEY === undefined,
    trackingKey: e.TRACKING_KEY ? Buffer.from(e.TRACKING_KEY, 'base64') : derivedTrackingKey(Buffer.from(e.DATA_KEY ?? DEV_DATA_KEY, 'base64')),
    runWorkers: e.RUN_WORKERS,
    timerHorizonMs: Math.round(e.TIMER_HORIZON_HOURS * 3_600_000),
    staffTokenDays: e.STAFF_TOKEN_DAYS,
    tools: { metricsToken: e.METRICS_TOKEN, allowFrom: e.METRICS_ALLOW_FROM, metricsCacheMs: Math.round(e.METRICS_CACHE_SECONDS * 1000) },
    open311CacheMs: Math.round(e.OPEN311_CACHE_SECONDS * 1000),
    progressLookup: { maxFailures: e.PROGRESS_LOOKUP_MAX_FAILURES, windowS: Math.max(1, Math.round(e.PROGRESS_LOOKUP_WINDOW_HOURS * 3600)) },
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            numbers: { civil: e.TWILIO_NUMBER_12349, service: e.TWILIO_NUMBER_12345 },
            apiBaseUrl: e.TWILIO_API_BASE_URL,
          }
        : undefined,
    wecom:
      e.WECOM_CORP_ID && e.WECOM_TOKEN && e.WECOM_ENCODING_AES_KEY
        ? {
            corpId: e.WECOM_CORP_ID,
            token: e.WECOM_TOKEN,
            encodingAesKey: e.WECOM_ENCODING_AES_KEY,
            agentId: e.WECOM_AGENT_ID,
            secret: e.WECOM_SECRET,
            kfSecret: e.WECOM_KF_SECRET ?? e.WECOM_SECRET,
            apiBaseUrl: e.WECOM_API_BASE_URL,
            replayWindowS: e.WECOM_REPLAY_WINDOW_S,
          }
        : undefined,
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? 'none', model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS }
        : undefined,
  };
}

export type Config = ReturnType<typeof parseConfig>;
