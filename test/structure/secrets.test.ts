import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';

/**
 * Secrets come from the environment only: nothing that looks like a credential
 * is written into the source, and only the config module reads the environment.
 * Generated Prisma code is skipped; test fakes live under test/, outside the scan.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'bin', 'scripts'];
const SKIP = [join('src', 'generated')];
const TEXT = /\.(ts|js|mjs|cjs|json|html|css|sql|prisma|yml|yaml)$/;

const PATTERNS: [string, RegExp][] = [
  // A literal assigned to something named like a credential; `${…}` templates build values at run time and are fine.
  ['credential literal', /(secret|token|password|passwd|api[_-]?key|auth[_-]?token|access[_-]?key|private[_-]?key|aes[_-]?key|corpsecret)\w*['"]?\s*[:=]\s*['"`][^'"`\s${}]{8,}['"`]/i],
  ['Twilio account SID', /\bAC[0-9a-f]{32}\b/],
  ['32-hex token (Twilio auth token shape)', /['"`][0-9a-f]{32}['"`]/],
  ['WeCom CorpID', /\bww[0-9a-f]{16}\b/],
  ['base64 32-byte key', /['"`][A-Za-z0-9+/]{43}=['"`]/],
  ['43-character EncodingAESKey', /['"`][A-Za-z0-9]{43}['"`]/],
  ['OpenAI-style key', /\bsk-[A-Za-z0-9_-]{20,}/],
  ['AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['private key block', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['password in a URL', /:\/\/[^:/\s'"`]+:[^@/\s'"`]+@/],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.includes(relative(ROOT, path))) return [];
    if (statSync(path).isDirectory()) return files(path);
    return TEXT.test(name) ? [path] : [];
  });
}

describe('secrets only from the environment', () => {
  const sources = SCANNED.flatMap((d) => files(join(ROOT, d)));

  it('scans a real tree', () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  it('no hard-coded token, key or password in src/, bin/ or scripts/', () => {
    const hits: string[] = [];
    for (const file of sources) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [what, re] of PATTERNS) if (re.test(line)) hits.push(`${relative(ROOT, file)}:${i + 1} ${what}: ${line.trim().slice(0, 120)}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('the patterns catch what they are meant to catch', () => {
    const caught = (line: string) => PATTERNS.some(([, re]) => re.test(line));
    expect(caught(`const authToken = 'f3a9c2e1d4b5a6978877665544332211';`)).toBe(true);
    expect(caught(`WECOM_SECRET: 'Xy7_kP2mQ9vR4tL8'`)).toBe(true);
    expect(caught(`const url = 'postgresql://hotline:s3cret@db:5432/hotline';`)).toBe(true);
    expect(caught(`const token = \`hl_\${randomBytes(24).toString('base64url')}\`;`)).toBe(false);
  });

  it('only the config module reads secrets out of the environment', () => {
    const readers = sources.filter((f) => /process\.env\.[A-Z_]*(SECRET|TOKEN|KEY|PASSWORD)|process\.env\[/.test(readFileSync(f, 'utf8')));
    expect(readers.map((f) => relative(ROOT, f))).toEqual([]);
    // Without the environment there are no provider credentials at all, and production refuses to start without DATA_KEY.
    const bare = parseConfig({});
    expect([bare.twilio, bare.wecom, bare.llm]).toEqual([undefined, undefined, undefined]);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/DATA_KEY/);
  });

  it('no environment file with real values is tracked by git', () => {
    const tracked = execFileSync('git', ['ls-files', '--', '*.env', '.env*', '**/.env*'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(tracked.filter((f) => !f.endsWith('.env.example'))).toEqual([]);
  });
});
