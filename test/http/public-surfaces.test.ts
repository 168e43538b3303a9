import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../src/cases/open-case.js';
import { createStaff } from '../../src/staff/create-staff.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

/**
 * /metrics and /docs are for staff, the configured scraper token and listed networks only; the public Open311 list is
 * open but shows only cases marked public. Both answer from a short cache, so polling them does not reach the database.
 */
let env: TestEnv;
let staffToken: string;
const METRICS_TOKEN = 'scrape-token-abcdef0123456789';

beforeAll(async () => {
  env = await createTestEnv({ METRICS_TOKEN, METRICS_ALLOW_FROM: '10.0.0.0/8, 192.0.2.7, fd00::/8', METRICS_CACHE_SECONDS: '30', OPEN311_CACHE_SECONDS: '30' });
  staffToken = (await createStaff(env.deps.db, { name: '督导', role: 'supervisor' })).token;
});
afterAll(() => env?.close());

const get = (url: string, opts: { headers?: Record<string, string>; remoteAddress?: string } = {}) =>
  env.app.inject({ method: 'GET', url, headers: opts.headers, remoteAddress: opts.remoteAddress ?? '203.0.113.5' });

async function newCase(published: boolean) {
  const opened = await openCase(
    { db: env.deps.db, cipher: env.deps.cipher, directory: env.deps.directory, tracking: env.deps.tracking, now: new Date() },
    { type: 'application', complete: true, channel: 'sms', applicant: { name: '王秀英', phone: '13812345678', townshipCode: 'zaoyuan', reason: '老伴瘫痪在床' }, categoriesHint: ['minimum_living'], missing: [] },
  );
  await env.deps.db.case.update({ where: { id: opened.id }, data: { published } });
  return opened.trackingNumber;
}

describe('/metrics and /docs', () => {
  it('refuse an anonymous client, whatever address it claims in X-Forwarded-For', async () => {
    for (const url of ['/metrics', '/docs/json', '/docs/yaml']) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 401 });
      expect(res.headers['www-authenticate']).toBe('Bearer');
      const forged = await get(url, { headers: { 'x-forwarded-for': '10.1.2.3' } });
      expect({ url, status: forged.statusCode }).toEqual({ url, status: 401 });
    }
    expect((await get('/metrics', { headers: { authorization: 'Bearer not-the-token-0000000000' } })).statusCode).toBe(401);
    expect(env.logs.join('')).toContain('tool_refused');
  });

  it('send a browser to the sign-in page and back to /docs', async () => {
    const res = await get('/docs', { headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/login?next=%2Fdocs');
  });

  it('let in the scraper token, a staff token, a console session and a listed network', async () => {
    expect((await get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).statusCode).toBe(200);
    expect((await get('/docs/json', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).statusCode).toBe(200);
    expect((await get('/metrics', { headers: { authorization: `Bearer ${staffToken}` } })).statusCode).toBe(200);
    for (const remoteAddress of ['10.1.2.3', '192.0.2.7', '::ffff:10.9.9.9', 'fd00::1']) {
      expect({ remoteAddress, status: (await get('/metrics', { remoteAddress })).statusCode }).toEqual({ remoteAddress, status: 200 });
    }
    expect((await get('/metrics', { remoteAddress: '192.0.2.8' })).statusCode).toBe(401);

    const login = await env.app.inject({ method: 'GET', url: '/console/login' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)![1]!;
    const cookies = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const signedIn = await env.app.inject({
      method: 'POST',
      url: '/console/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      payload: new URLSearchParams({ _csrf: csrf, token: staffToken }).toString(),
    });
    expect(signedIn.statusCode).toBe(303);
    const session = signedIn.cookies.find((c) => c.name === 'hotline_staff')!;
    expect((await get('/docs/json', { headers: { cookie: `hotline_staff=${session.value}` } })).statusCode).toBe(200);
  });

  it('one read of /metrics serves the scrapes that follow within the cache time, and concurrent scrapes share it', async () => {
    const scrape = () => get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const first = await scrape();
    await newCase(false);
    const burst = await Promise.all(Array.from({ length: 20 }, scrape));
    expect(burst.every((r) => r.statusCode === 200 && r.body === first.body)).toBe(true);
  });
});

describe('the public Open311 requests list', () => {
  it('is open to anyone, shows only cases marked public, and is answered from its cache', async () => {
    const shown = await newCase(true);
    const hidden = await newCase(false);
    const first = await get('/open311/v2/requests.json');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=30');
    const ids = (first.json() as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(ids).toContain(shown);
    expect(ids).not.toContain(hidden);
    expect(first.body).not.toMatch(/王秀英|13812345678|138\*\*\*\*5678|老伴/);

    // Marked public now, but the list polled meanwhile is the cached one: the database is not read again.
    await env.deps.db.case.updateMany({ where: { trackingNumber: hidden }, data: { published: true } });
    const polled = await Promise.all(Array.from({ length: 20 }, () => get('/open311/v2/requests.json')));
    expect(polled.every((r) => r.body === first.body)).toBe(true);
  });
});
