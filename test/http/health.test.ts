import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env?.close());

describe('health endpoints', () => {
  it('healthz answers while the process lives', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('readyz is ready when PostgreSQL and Redis answer', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, redis: { ok: true } } });
  });

  it('readyz says which service is down', async () => {
    // Cut this process's own Redis connection: the shared Redis server stays up for other test files.
    env.deps.redis.disconnect();
    const res = await env.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', checks: { postgres: { ok: true }, redis: { ok: false } } });
    while (env.deps.redis.status !== 'end') await new Promise((r) => setTimeout(r, 10));
    await env.deps.redis.connect();
  });

  it('readyz reports PostgreSQL down when its database is gone', async () => {
    await env.deps.db.$disconnect();
    const { query } = await import('../helpers/pg.js');
    const name = new URL(env.databaseUrl).pathname.slice(1);
    await query('postgresql://postgres@127.0.0.1:5432/postgres', `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await query('postgresql://postgres@127.0.0.1:5432/postgres', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    try {
      const res = await env.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ checks: { postgres: { ok: false }, redis: { ok: true } } });
    } finally {
      await query('postgresql://postgres@127.0.0.1:5432/postgres', `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
  });

  it('unknown routes get a JSON 404, in Chinese first', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: '没有这个地址：GET /nope。工作人员请从 /console 进入；接口在 /api/v1/ 下 / No route GET /nope' } });
  });
});
