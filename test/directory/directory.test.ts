import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDirectoryFile } from '../../src/directory/load.js';
import { importDirectory } from '../../src/directory/store.js';
import { AppError } from '../../src/errors.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  env = await createTestEnv();
  dir = await mkdtemp(join(tmpdir(), 'directory-'));
});
afterAll(() => env?.close());

const demo = () => loadDirectoryFile('data/counties/lanshan.json');

describe('county directory', () => {
  it('the demo county is loaded into an empty database at start', async () => {
    expect(env.deps.directory.directory.county.name).toBe('临沂市兰山区');
    expect(await env.deps.db.township.count()).toBe(13);
    expect(await env.deps.db.agency.count()).toBe(14);
    const zaoyuan = await env.deps.db.township.findFirstOrThrow({ where: { code: 'zaoyuan' }, include: { villages: true } });
    expect(zaoyuan.name).toBe('枣园镇');
    expect(zaoyuan.villages.map((v) => v.name)).toContain('东鲁村');
    expect(env.deps.directory.agencyId('minzheng')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('imports another county file and is idempotent', async () => {
    const other = await demo();
    other.county = { ...other.county, code: 'othercounty', name: '另一个县' };
    other.townships = other.townships.slice(0, 2);
    const first = await importDirectory(env.deps.db, other);
    const again = await importDirectory(env.deps.db, other);
    expect(first).toEqual(again);
    expect(await env.deps.db.township.count({ where: { countyCode: 'othercounty' } })).toBe(2);
  });

  it('rejects a bad file with every problem listed and loads nothing', async () => {
    const bad = JSON.parse(JSON.stringify(await demo()));
    bad.county.code = 'badcounty';
    bad.county.window.agency = 'nosuchagency';
    bad.agencies[0].categories.push('not_a_category');
    bad.agencies[1].categories.push('minimum_living');
    bad.townships[1].code = bad.townships[0].code;
    bad.timeLimits.transfer = { workingDays: -2 };
    delete bad.escalation;
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(bad));
    const err = await loadDirectoryFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const problems = (err as AppError).details as string[];
    expect(problems.join('\n')).toMatch(/agencies\.0\.categories\.\d+: Invalid option/);
    expect(problems.join('\n')).toMatch(/timeLimits\.transfer/);
    expect(problems.join('\n')).toMatch(/escalation/);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(await env.deps.db.county.count({ where: { code: 'badcounty' } })).toBe(0);
  });

  it('reports cross-reference errors (unknown window agency, duplicate codes, double ownership) together', async () => {
    const bad = JSON.parse(JSON.stringify(await demo()));
    bad.county.window.agency = 'nosuchagency';
    bad.agencies[1].categories.push('minimum_living');
    bad.townships[1].code = bad.townships[0].code;
    const file = join(dir, 'bad-refs.json');
    await writeFile(file, JSON.stringify(bad));
    const err = (await loadDirectoryFile(file).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('directory_invalid');
    expect(err.details).toEqual(
      expect.arrayContaining([
        'townships.1: duplicate township code "lanshan"',
        'county.window.agency: unknown agency "nosuchagency"',
        'agencies.1.categories.1: category "minimum_living" is already owned by agency "minzheng"',
      ]),
    );
  });

  it('a transaction failure half-way leaves nothing behind', async () => {
    const d = await demo();
    d.county = { ...d.county, code: 'halfway', name: '半途县' };
    // PostgreSQL refuses NUL in text: the last township's insert fails inside the transaction.
    const t = d.townships[12]!;
    d.townships[12] = { ...t, aliases: ['bad\u0000alias'] };
    await expect(importDirectory(env.deps.db, d)).rejects.toThrow();
    expect(await env.deps.db.county.count({ where: { code: 'halfway' } })).toBe(0);
    expect(await env.deps.db.township.count({ where: { countyCode: 'halfway' } })).toBe(0);
  });

  it('refuses a file that is not JSON with a readable message', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "county": ');
    await expect(loadDirectoryFile(file)).rejects.toThrow(/not valid JSON/);
    await expect(loadDirectoryFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read county directory/);
  });
});
