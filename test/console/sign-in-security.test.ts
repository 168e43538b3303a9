import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Response } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/staff/create-staff.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { csrfOf } from './session.js';

/** CSRF tokens bound to the session, staff tokens that expire and can be revoked, and a `next` that only goes home. */
let env: TestEnv;
const run = promisify(execFile);

beforeAll(async () => {
  env = await createTestEnv({ STAFF_TOKEN_DAYS: '30' });
});
afterAll(() => env?.close());

type Jar = Record<string, string>;
const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
function keep(jar: Jar, res: Response) {
  for (const c of res.cookies as { name: string; value: string }[]) jar[c.name] = c.value;
}
const get = async (jar: Jar, url: string) => {
  const res = await env.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(jar), accept: 'text/html' } });
  keep(jar, res);
  return res;
};
const post = async (jar: Jar, url: string, form: Record<string, string>) => {
  const res = await env.app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });
  keep(jar, res);
  return res;
};

/** Signs in with a staff token in the given cookie jar; returns the sign-in response. */
async function signIn(jar: Jar, token: string, next?: string) {
  const page = await get(jar, '/console/login');
  return post(jar, '/console/login', { _csrf: csrfOf(page.body), token, ...(next !== undefined ? { next } : {}) });
}

const hotline = (args: string[]) =>
  run('node', ['bin/hotline.mjs', ...args], { env: { ...process.env, DATABASE_URL: env.databaseUrl } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const api = (token: string) => env.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

describe('CSRF tokens are bound to the console session', () => {
  it('a token from one session does not work in another, even with the same _csrf cookie (cookie tossing)', async () => {
    const a = await createStaff(env.deps.db, { name: '值班员甲', role: 'duty_officer' });
    const b = await createStaff(env.deps.db, { name: '值班员乙', role: 'duty_officer' });
    const jarA: Jar = {};
    expect((await signIn(jarA, a.token)).statusCode).toBe(303);
    const tokenA = csrfOf((await get(jarA, '/console/duty')).body);

    // B's browser carries the same _csrf secret (planted, or shared), and a session of its own.
    const jarB: Jar = { _csrf: jarA._csrf! };
    expect((await signIn(jarB, b.token)).statusCode).toBe(303);
    expect(jarB._csrf).toBe(jarA._csrf);
    const refused = await post(jarB, '/console/logout', { _csrf: tokenA });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('页面已过期或来源不明');

    // A token from B's own pages works; so does A's in A's session.
    const tokenB = csrfOf((await get(jarB, '/console/duty')).body);
    expect((await post(jarB, '/console/logout', { _csrf: tokenB })).statusCode).toBe(303);
    expect((await post(jarA, '/console/logout', { _csrf: tokenA })).statusCode).toBe(303);
  });

  it('the token of the sign-in page (no session yet) does not work once signed in', async () => {
    const s = await createStaff(env.deps.db, { name: '督导', role: 'supervisor' });
    const jar: Jar = {};
    const page = await get(jar, '/console/login');
    const before = csrfOf(page.body);
    expect((await post(jar, '/console/login', { _csrf: before, token: s.token })).statusCode).toBe(303);
    expect((await post(jar, '/console/logout', { _csrf: before })).statusCode).toBe(403);
  });
});

describe('staff tokens expire and can be revoked', () => {
  it(`a token older than STAFF_TOKEN_DAYS is refused by the API and the console`, async () => {
    const s = await createStaff(env.deps.db, { name: '老令牌', role: 'duty_officer' });
    expect((await api(s.token)).statusCode).toBe(200);
    await env.deps.db.staffUser.update({ where: { id: s.id }, data: { createdAt: new Date(Date.now() - 31 * 86_400_000) } });
    expect((await api(s.token)).statusCode).toBe(401);
    const res = await signIn({}, s.token);
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('已过期');
  });

  it('hotline staff revoke ends the token at once: API, sign-in and the open console session', async () => {
    const s = await createStaff(env.deps.db, { name: '离职人员', role: 'duty_officer' });
    const jar: Jar = {};
    expect((await signIn(jar, s.token)).statusCode).toBe(303);
    expect((await get(jar, '/console/duty')).statusCode).toBe(200);

    const r = await hotline(['staff', 'revoke', '--id', s.id]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: s.id, name: '离职人员', revokedAt: expect.any(String) });

    expect((await api(s.token)).statusCode).toBe(401);
    const page = await get(jar, '/console/duty');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/console\/login/);
    expect((await signIn({}, s.token)).statusCode).toBe(401);
    expect(await env.deps.db.auditEvent.count({ where: { action: 'staff.token_revoked', entityId: s.id } })).toBe(1);
  });

  it('hotline staff revoke with an unknown id exits 2 with a readable line', async () => {
    for (const id of ['nope', '0190f000-0000-7000-8000-000000000009']) {
      const r = await hotline(['staff', 'revoke', '--id', id]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^hotline: No staff user with id/);
    }
  });
});

describe('`next` after sign-in', () => {
  let token: string;
  beforeAll(async () => {
    token = (await createStaff(env.deps.db, { name: '督导乙', role: 'supervisor' })).token;
  });

  it('goes to one of our own pages', async () => {
    const res = await signIn({}, token, '/console/referrals?status=all');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/referrals?status=all');
  });

  it.each([
    ['CR/LF', '/console/\r\nSet-Cookie: x=1'],
    ['LF', '/console\nLocation: https://evil.example'],
    ['another site', 'https://evil.example/console'],
    ['protocol-relative', '//evil.example/console'],
    ['backslash', '/\\evil.example'],
    ['outside the console', '/api/v1/me'],
    ['a tab', '/console/\tx'],
  ])('refuses %s with 400, on the form and in the link', async (_what, next) => {
    const posted = await signIn({}, token, next);
    expect(posted.statusCode).toBe(400);
    expect(posted.headers.location).toBeUndefined();
    const linked = await env.app.inject({ method: 'GET', url: `/console/login?next=${encodeURIComponent(next)}` });
    expect(linked.statusCode).toBe(400);
  });
});
