import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeAnswer, type RecordedRequest } from './http.js';

/** Twilio's REST error body, e.g. {"code":21211,"message":"Invalid 'To' Phone Number…","more_info":…,"status":400}. */
function twilioError(status: number, code: number, message: string): FakeAnswer {
  return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

const DEFAULT_ERRORS: Record<number, [number, string]> = {
  400: [21211, "Invalid 'To' Phone Number"],
  429: [20429, 'Too Many Requests'],
  500: [20500, 'An internal server error has occurred'],
  503: [20503, 'Service Unavailable'],
};

const E164 = /^\+[1-9]\d{6,14}$/;
const newSid = (prefix: string) => prefix + randomBytes(16).toString('hex');
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

export interface FakeTwilio {
  url: string;
  /** Every request, in arrival order, with its decoded form. */
  requests: Array<RecordedRequest & { form: Record<string, string> }>;
  /** Message resources created (what Twilio would have queued). */
  messages: Array<Record<string, unknown>>;
  calls: Array<Record<string, unknown>>;
  /** The next `n` requests fail with this HTTP status and a Twilio error body. */
  failNext(n: number, status: number, code?: number, message?: string): void;
  close(): Promise<void>;
}

/** A local stand-in for api.twilio.com's Messages.json and Calls.json. */
export async function startFakeTwilio(opts: { accountSid: string; authToken: string }): Promise<FakeTwilio> {
  const requests: FakeTwilio['requests'] = [];
  const messages: FakeTwilio['messages'] = [];
  const calls: FakeTwilio['calls'] = [];
  const failures: FakeAnswer[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  const accountPath = `/2010-04-01/Accounts/${opts.accountSid}`;

  function createMessage(form: Record<string, string>): FakeAnswer {
    if (!form.To) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!form.From && !form.MessagingServiceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!E164.test(form.To)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${form.To}`);
    if (!form.Body && !form.MediaUrl) return twilioError(400, 21602, 'Message body is required.');
    if ((form.Body ?? '').length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const sid = newSid('SM');
    const now = rfc2822(new Date());
    const resource = {
      account_sid: opts.accountSid,
      api_version: '2010-04-01',
      body: form.Body ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      num_media: form.MediaUrl ? '1' : '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `${accountPath}/Messages/${sid}/Media.json` },
      to: form.To,
      uri: `${accountPath}/Messages/${sid}.json`,
      status_callback: form.StatusCallback ?? null,
    };
    messages.push(resource);
    return { status: 201, json: resource };
  }

  function createCall(form: Record<string, string>): FakeAnswer {
    if (!form.To) return twilioError(400, 21201, "No 'To' number is specified");
    if (!form.From) return twilioError(400, 21213, "No 'From' number is specified");
    if (!form.Url && !form.Twiml) return twilioError(400, 21205, 'Url parameter is required.');
    const sid = newSid('CA');
    const now = rfc2822(new Date());
    const resource = {
      account_sid: opts.accountSid,
      api_version: '2010-04-01',
      date_created: now,
      date_updated: now,
      direction: 'outbound-api',
      from: form.From,
      from_formatted: form.From,
      parent_call_sid: null,
      sid,
      status: 'queued',
      to: form.To,
      to_formatted: form.To,
      uri: `${accountPath}/Calls/${sid}.json`,
      url: form.Url ?? null,
    };
    calls.push(resource);
    return { status: 201, json: resource };
  }

  const server = await startFakeServer((req) => {
    const form = Object.fromEntries(new URLSearchParams(req.body));
    requests.push({ ...req, form });
    const failure = failures.shift();
    if (failure) return failure;
    if (req.headers.authorization !== expectedAuth) return twilioError(401, 20003, 'Authenticate');
    if (req.method === 'POST' && req.path === `${accountPath}/Messages.json`) return createMessage(form);
    if (req.method === 'POST' && req.path === `${accountPath}/Calls.json`) return createCall(form);
    return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
  });

  return {
    url: server.url,
    requests,
    messages,
    calls,
    failNext(n, status, code, message) {
      const [defaultCode, defaultMessage] = DEFAULT_ERRORS[status] ?? [20500, 'Error'];
      for (let i = 0; i < n; i++) failures.push(twilioError(status, code ?? defaultCode, message ?? defaultMessage));
    },
    close: server.close,
  };
}
