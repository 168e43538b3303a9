import { z } from 'zod';
import { maskPersonalNumbers } from '../../privacy/personal-numbers.js';
import { TwilioApiError } from './errors.js';

export interface TwilioRestOptions {
  /** `https://api.twilio.com` in production; a fake's URL in tests. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  fetch?: typeof fetch;
  /** Tries per request, including the first (default 3). */
  attempts?: number;
  /** First backoff delay; doubles on each retry (default 250 ms). */
  baseDelayMs?: number;
  /** Per-attempt timeout so a stalled connection cannot hold a worker (default 10 s). */
  timeoutMs?: number;
}

export interface SendSmsInput {
  from: string;
  to: string;
  body: string;
  statusCallback?: string;
}

export interface CreateCallInput {
  from: string;
  to: string;
  /** TwiML URL Twilio fetches once the callee answers. */
  url: string;
  statusCallback?: string;
}

export interface TwilioResource {
  sid: string;
  status: string;
}

export interface TwilioRest {
  sendSms(input: SendSmsInput): Promise<TwilioResource>;
  createCall(input: CreateCallInput): Promise<TwilioResource>;
}

const Resource = z.object({ sid: z.string().min(1), status: z.string() });
const TwilioErrorBody = z.object({
  code: z.number().optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createTwilioRest(opts: TwilioRestOptions): TwilioRest {
  const doFetch = opts.fetch ?? fetch;
  const attempts = opts.attempts ?? 3;
  const baseDelayMs = opts.baseDelayMs ?? 250;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const root = `${opts.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;

  function rejection(resource: string, status: number, body: unknown): TwilioApiError {
    const parsed = TwilioErrorBody.safeParse(body);
    const info = parsed.success ? parsed.data : {};
    // Twilio quotes the offending number in some messages; errors end up in logs.
    const detail = info.message ? maskPersonalNumbers(info.message) : 'no error details in the response';
    const hint = status === 401 ? ' Check the Twilio account SID and auth token.' : '';
    return new TwilioApiError(
      status >= 500 || status === 429 ? 'twilio_unavailable' : 'twilio_rejected',
      `Twilio ${resource} answered HTTP ${status}${info.code ? ` (error ${info.code})` : ''}: ${detail}.${hint}${info.more_info ? ` See ${info.more_info}` : ''}`,
      status,
      info.code,
      info.more_info,
    );
  }

  /** POSTs a form; 5xx, 429 and network failures are retried, other answers are final. */
  async function post(resource: string, form: Record<string, string | undefined>): Promise<TwilioResource> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(`${root}/${resource}`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        if (attempt < attempts) {
          await sleep(baseDelayMs * 2 ** (attempt - 1));
          continue;
        }
        const reason = err instanceof Error ? err.message : String(err);
        throw new TwilioApiError('twilio_unavailable', `Twilio ${resource} unreachable after ${attempt} attempts (${reason}); check network access to ${opts.baseUrl}`);
      }
      const json = parseJson(await res.text());
      if (res.ok) {
        const parsed = Resource.safeParse(json);
        if (parsed.success) return parsed.data;
        throw new TwilioApiError('twilio_bad_response', `Twilio ${resource} answered HTTP ${res.status} without a sid and status`, res.status);
      }
      if ((res.status >= 500 || res.status === 429) && attempt < attempts) {
        await sleep(baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      throw rejection(resource, res.status, json);
    }
  }

  return {
    sendSms: ({ from, to, body, statusCallback }) =>
      post('Messages.json', { From: from, To: to, Body: body, StatusCallback: statusCallback }),
    createCall: ({ from, to, url, statusCallback }) =>
      post('Calls.json', { From: from, To: to, Url: url, Method: 'POST', StatusCallback: statusCallback }),
  };
}
