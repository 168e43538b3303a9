import { execFile } from 'node:child_process';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, hashToken } from '../src/staff/create-staff.js';
import { createTestEnv, type TestEnv } from './helpers/env.js';

const run = promisify(execFile);
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env?.close());

const hotline = (args: string[]) =>
  run('node', ['bin/hotline.mjs', ...args], { env: { ...process.env, DATABASE_URL: env.databaseUrl } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('staff users', () => {
  it('creates a township staff member scoped to a township, storing only the token hash', async () => {
    const { id, token } = await createStaff(env.deps.db, { name: '李干事', role: 'township_staff', township: 'zaoyuan' });
    const row = await env.deps.db.staffUser.findUniqueOrThrow({ where: { id }, include: { township: true } });
    expect(row.role).toBe('township_staff');
    expect(row.township?.code).toBe('zaoyuan');
    expect(row.tokenHash).toBe(hashToken(token));
    expect(row.tokenHash).not.toContain(token);
    const audit = await env.deps.db.auditEvent.findFirstOrThrow({ where: { entityId: id } });
    expect(audit.action).toBe('staff.created');
  });

  it('refuses missing scope and unknown codes with a clear error', async () => {
    await expect(createStaff(env.deps.db, { name: '王', role: 'township_staff' })).rejects.toThrow(/township staff need --township/);
    await expect(createStaff(env.deps.db, { name: '王', role: 'agency_staff', agency: 'nope' })).rejects.toThrow(/No agency with code "nope"/);
    await expect(createStaff(env.deps.db, { name: '王', role: 'mayor' as never })).rejects.toThrow(/role/);
  });
});

describe('hotline CLI', () => {
  it('staff add prints { id, token }', async () => {
    const r = await hotline(['staff', 'add', '--name', '张主任', '--role', 'supervisor']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { id: string; token: string };
    expect(out.token).toMatch(/^hl_/);
    expect(await env.deps.db.staffUser.count({ where: { id: out.id, role: 'supervisor' } })).toBe(1);
  });

  it('staff add with a bad role exits 2 with a readable line', async () => {
    const r = await hotline(['staff', 'add', '--name', 'x', '--role', 'mayor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hotline: role: /);
  });

  it('migrate applies nothing on an up-to-date database', async () => {
    const r = await hotline(['migrate']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ applied: [] });
  });

  it('directory import loads a good file and rejects a bad one listing every problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const good = JSON.parse(await (await import('node:fs/promises')).readFile('data/counties/lanshan.json', 'utf8'));
    good.county.code = 'clicounty';
    await writeFile(join(dir, 'good.json'), JSON.stringify(good));
    const ok = await hotline(['directory', 'import', join(dir, 'good.json')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ county: 'clicounty', agencies: 14, townships: 13 });

    good.county.code = 'BAD CODE';
    good.townships[0].villages[0].name = '';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(good));
    const bad = await hotline(['directory', 'import', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/2 problem\(s\)/);
    expect(bad.stderr).toMatch(/county\.code: use lowercase/);
    expect(bad.stderr).toMatch(/townships\.0\.villages\.0\.name/);
  });
});
