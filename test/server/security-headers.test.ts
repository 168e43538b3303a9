import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { postSms, smsParams, TWILIO } from '../helpers/channels.js';

let env: TestEnv;
beforeAll(async () => {
  // An https public URL, as in production: HSTS is only sent there.
  env = await createTestEnv({ ...TWILIO, RATE_LIMIT_PER_SENDER: '1' });
});
afterAll(() => env?.close());

const EXPECTED: Record<string, RegExp> = {
  'content-security-policy': /default-src 'self'.*frame-ancestors 'none'/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^(DENY|SAMEORIGIN)$/,
  'strict-transport-security': /max-age=\d{6,}/,
  'referrer-policy': /no-referrer/,
  'cross-origin-opener-policy': /same-origin/,
};

describe('security headers on every kind of response', () => {
  it('health, staff API (refused), webhooks (answered, forged, limited), unknown routes and oversized bodies all carry them', async () => {
    const from = '+8613900990001';
    const responses = {
      health: await env.app.inject({ method: 'GET', url: '/healthz' }),
      'staff API without a token': await env.app.inject({ method: 'GET', url: '/api/v1/me' }),
      'SMS webhook': await postSms(env.app, smsParams(from, '你好')),
      'SMS webhook over the limit': await postSms(env.app, smsParams(from, '你好')),
      'forged webhook': await postSms(env.app, smsParams(from, '你好'), { token: 'forged' }),
      'unknown route': await env.app.inject({ method: 'GET', url: '/nothing-here' }),
      'oversized body': await env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `Body=${'A'.repeat(300 * 1024)}` }),
    };
    expect(Object.fromEntries(Object.entries(responses).map(([k, r]) => [k, r.statusCode]))).toEqual({
      health: 200,
      'staff API without a token': 401,
      'SMS webhook': 200,
      'SMS webhook over the limit': 429,
      'forged webhook': 403,
      'unknown route': 404,
      'oversized body': 413,
    });
    for (const [what, res] of Object.entries(responses)) {
      for (const [header, value] of Object.entries(EXPECTED)) expect(String(res.headers[header] ?? ''), `${what}: ${header}`).toMatch(value);
      expect(res.headers['x-powered-by'], what).toBeUndefined();
    }
  });
});
