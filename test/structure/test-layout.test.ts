import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UNIT } from '../../vitest.config.js';

/**
 * Test paths mirror src/: a test of src/X/Y.ts is test/X/Y.test.ts or test/X/<topic>.test.ts, and a test of a file
 * directly in src/ (src/config.ts) is test/config.test.ts or test/config-<topic>.test.ts. Only the end-to-end tests
 * (test/e2e), the shared harness (test/helpers, test/fakes) and these checks (test/structure) live elsewhere.
 *
 * The unit project (UNIT in vitest.config.ts) holds exactly the tests that reach no database and no Redis: none of
 * them may import the service harness, and a test that imports neither belongs in it.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const TEST = join(ROOT, 'test');
const SRC = join(ROOT, 'src');
const OUTSIDE_SRC = ['e2e', 'helpers', 'fakes', 'structure'];
/** Support modules directly in test/: the service project's global setup. */
const ROOT_SUPPORT = ['global-setup.ts'];

/** What connects to PostgreSQL or Redis when a test imports it (directly or through a test module). */
const SERVICE_PACKAGES = ['pg', 'bullmq', 'ioredis'];
const SERVICE_SOURCES = ['src/db/client.ts', 'src/redis.ts', 'src/composition.ts'].map((p) => join(ROOT, p));
/** Tests that reach the services without importing them: they start a hotline of their own in a child process. */
const STARTS_A_HOTLINE = ['test/dialogs/eval/eval-dialogs.test.ts', 'test/e2e/sigkill-two-processes.test.ts'];

const posix = (path: string) => path.split(sep).join('/');
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const sources = walk(TEST).filter((f) => f.endsWith('.ts'));
const tests = sources.filter((f) => f.endsWith('.test.ts'));

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
const unitPatterns = UNIT.map(globToRegExp);
const inUnit = (file: string) => unitPatterns.some((re) => re.test(posix(relative(ROOT, file))));

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;
const reaches = new Map<string, string | undefined>();
/** The first service a test module reaches through its imports, if any: a package name or a path. */
function serviceReached(file: string): string | undefined {
  if (reaches.has(file)) return reaches.get(file);
  reaches.set(file, undefined); // an import circle between test modules ends here
  let found: string | undefined;
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (!spec!.startsWith('.')) {
      if (SERVICE_PACKAGES.includes(spec!)) found = spec;
    } else {
      const target = resolve(dirname(file), spec!).replace(/\.js$/, '.ts');
      if (SERVICE_SOURCES.includes(target)) found = posix(relative(ROOT, target));
      else if (target.startsWith(TEST + sep) && existsSync(target)) {
        const via = serviceReached(target);
        if (via) found = `${posix(relative(ROOT, target))} → ${via}`;
      }
    }
    if (found) break;
  }
  reaches.set(file, found);
  return found;
}

describe('test paths mirror src/', () => {
  it('puts every test module under a folder src/ has, or in e2e, helpers, fakes or structure', () => {
    const misplaced = sources
      .map((f) => posix(relative(TEST, f)))
      .filter((path) => {
        const folder = posix(dirname(path));
        if (folder === '.') return false;
        if (OUTSIDE_SRC.includes(folder.split('/')[0]!)) return false;
        return !(existsSync(join(SRC, folder)) && statSync(join(SRC, folder)).isDirectory());
      });
    expect(misplaced).toEqual([]);
  });

  it('names a test directly in test/ after a file directly in src/', () => {
    const srcFiles = readdirSync(SRC).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -'.ts'.length));
    const stray = readdirSync(TEST)
      .filter((f) => f.endsWith('.ts') && !ROOT_SUPPORT.includes(f))
      .filter((f) => !(f.endsWith('.test.ts') && srcFiles.some((s) => f === `${s}.test.ts` || f.startsWith(`${s}-`))));
    expect(stray).toEqual([]);
  });

  it('finds the test modules it checks', () => {
    expect(tests.length).toBeGreaterThan(100);
    expect(posix(relative(ROOT, SRC))).toBe('src');
  });
});

describe('the unit project', () => {
  const rel = (f: string) => posix(relative(ROOT, f));

  it('holds no test that reaches PostgreSQL or Redis', () => {
    const reaching = tests
      .filter(inUnit)
      .map((f) => [rel(f), serviceReached(f) ?? (STARTS_A_HOTLINE.includes(rel(f)) ? 'a hotline in a child process' : undefined)])
      .filter(([, via]) => via);
    expect(reaching).toEqual([]);
  });

  it('holds every test that reaches neither (add it to UNIT in vitest.config.ts)', () => {
    const left = tests.filter((f) => !inUnit(f) && !serviceReached(f) && !STARTS_A_HOTLINE.includes(rel(f))).map(rel);
    expect(left).toEqual([]);
  });

  it('sees the harness reach the services, so a pattern gone stale cannot pass unnoticed', () => {
    expect(serviceReached(join(TEST, 'helpers/env.ts'))).toBeDefined();
    expect(serviceReached(join(TEST, 'helpers/pg.ts'))).toBe('pg');
    expect(tests.filter(inUnit).length).toBeGreaterThan(50);
    for (const pattern of UNIT) expect(tests.some((f) => globToRegExp(pattern).test(rel(f))), pattern).toBe(true);
  });
});
