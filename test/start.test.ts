import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseUrl, query, ADMIN_URL } from './helpers/pg.js';

/** Runs `src/start.ts` (what `npm start` runs) and collects its output until it exits or prints `until`. */
function start(env: Record<string, string>, until?: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    const check = () => until && until.test(stdout) && resolve();
    child.stdout.on('data', check);
  });
  return { child, exited, ready, out: () => ({ stdout, stderr }) };
}

describe('npm start', () => {
  it('stops within seconds with one readable line when Redis is unreachable', async () => {
    const t0 = Date.now();
    const p = start({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await p.exited).toBe(1);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const { stderr } = p.out();
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^hotline cannot start: Redis is not reachable at 127\.0\.0\.1:1 \(ECONNREFUSED\)\. Start it/)]);
  });

  it('names PostgreSQL when it is the one missing, and rejects bad config by variable name', async () => {
    const pgDown = start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/hotline' });
    expect(await pgDown.exited).toBe(1);
    expect(pgDown.out().stderr).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:1/);
    expect(pgDown.out().stderr).not.toMatch(/\n\s+at /);

    const badPort = start({ PORT: 'http' });
    expect(await badPort.exited).toBe(1);
    expect(badPort.out().stderr).toMatch(/Invalid configuration:\n\s+- PORT: /);
  });

  it('creates and migrates a missing database, loads the demo county, serves, and shuts down on SIGTERM', async () => {
    const name = `hotline_start_${randomBytes(4).toString('hex')}`;
    const p = start(
      { DATABASE_URL: databaseUrl(name), PORT: '0', HOST: '127.0.0.1', REDIS_PREFIX: `t_${name}`, LOG_LEVEL: 'warn' },
      /county loaded/,
    );
    try {
      await Promise.race([p.ready, p.exited.then((c) => Promise.reject(new Error(`exited ${c}: ${p.out().stderr}`)))]);
      const lines = p.out().stdout.split('\n');
      expect(lines[0]).toMatch(/^hotline listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(lines[1]).toMatch(/^county loaded: 临沂市兰山区 \(lanshan\)/);
      const port = /127\.0\.0\.1:(\d+)/.exec(lines[0]!)![1];
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(200);
      const rows = await query<{ count: string }>(databaseUrl(name), 'SELECT count(*) FROM "Township"');
      const count = rows[0]?.count;
      expect(Number(count)).toBe(13);
      p.child.kill('SIGTERM');
      const code = await p.exited;
      expect(code, `${p.out().stdout}\n${p.out().stderr}`).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await query(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
