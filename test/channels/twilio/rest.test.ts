import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwilioApiError } from '../../../src/channels/twilio/errors.js';
import { createTwilioRest, type TwilioRest } from '../../../src/channels/twilio/rest.js';
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio-api.js';

const accountSid = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'test-auth-token';

let fake: FakeTwilio;
let rest: TwilioRest;

beforeEach(async () => {
  fake = await startFakeTwilio({ accountSid, authToken });
  rest = createTwilioRest({ baseUrl: fake.url, accountSid, authToken, baseDelayMs: 1 });
});
afterEach(() => fake.close());

async function rejection(p: Promise<unknown>): Promise<TwilioApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TwilioApiError);
  return err as TwilioApiError;
}

describe('Twilio REST client', () => {
  it('sends an SMS as a form POST with basic auth', async () => {
    const res = await rest.sendSms({ from: '+8610123490000', to: '+8613800138000', body: '您的申请已受理，编号A12。', statusCallback: 'https://h.example/twilio/status' });
    expect(res.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(res.status).toBe('queued');
    const [req] = fake.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(req?.form).toEqual({ From: '+8610123490000', To: '+8613800138000', Body: '您的申请已受理，编号A12。', StatusCallback: 'https://h.example/twilio/status' });
    expect(fake.messages[0]).toMatchObject({ sid: res.sid, status: 'queued', direction: 'outbound-api', body: '您的申请已受理，编号A12。' });
  });

  it('places a call', async () => {
    const res = await rest.createCall({ from: '+8610123490000', to: '+8613800138000', url: 'https://h.example/twilio/voice/callback' });
    expect(res.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(fake.requests[0]?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Calls.json`);
    expect(fake.requests[0]?.form).toMatchObject({ Url: 'https://h.example/twilio/voice/callback', Method: 'POST' });
    expect(fake.calls[0]).toMatchObject({ sid: res.sid, status: 'queued', to: '+8613800138000' });
  });

  it('retries a 500 and then succeeds', async () => {
    fake.failNext(1, 500);
    const res = await rest.sendSms({ from: '+8610123490000', to: '+8613800138000', body: 'hi' });
    expect(res.sid).toMatch(/^SM/);
    expect(fake.requests).toHaveLength(2);
    expect(fake.messages).toHaveLength(1);
  });

  it('retries 429 and gives up after three attempts', async () => {
    fake.failNext(3, 429);
    const err = await rejection(rest.sendSms({ from: '+8610123490000', to: '+8613800138000', body: 'hi' }));
    expect(err.code).toBe('twilio_unavailable');
    expect(err.httpStatus).toBe(429);
    expect(err.twilioCode).toBe(20429);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a 400 and carries Twilio’s error without the full phone number', async () => {
    const err = await rejection(rest.sendSms({ from: '+8610123490000', to: '13800138000', body: 'hi' }));
    expect(fake.requests).toHaveLength(1);
    expect(err.code).toBe('twilio_rejected');
    expect(err.httpStatus).toBe(400);
    expect(err.twilioCode).toBe(21211);
    expect(err.moreInfo).toBe('https://www.twilio.com/docs/errors/21211');
    expect(err.message).toContain('error 21211');
    expect(err.message).not.toContain('13800138000');
  });

  it('reports wrong credentials as actionable', async () => {
    const bad = createTwilioRest({ baseUrl: fake.url, accountSid, authToken: 'wrong', baseDelayMs: 1 });
    const err = await rejection(bad.sendSms({ from: '+8610123490000', to: '+8613800138000', body: 'hi' }));
    expect(err.twilioCode).toBe(20003);
    expect(err.message).toMatch(/auth token/);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries network failures, then reports Twilio as unreachable', async () => {
    await fake.close();
    const err = await rejection(rest.sendSms({ from: '+8610123490000', to: '+8613800138000', body: 'hi' }));
    expect(err.code).toBe('twilio_unavailable');
    expect(err.message).toMatch(/after 3 attempts/);
    fake = await startFakeTwilio({ accountSid, authToken });
  });
});
