import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The README's configuration table names every variable src/config.ts reads, and what a first install trips on. */
describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');
  const config = readFileSync('src/config.ts', 'utf8');
  const body = config.slice(config.indexOf('const Env = z'), config.indexOf('.superRefine('));
  const names = [...body.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);

  it('names every setting src/config.ts reads', () => {
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
  });

  it('says which Node version and why npm warns EBADENGINE, and which font package Chinese printouts need', () => {
    expect(readme).toMatch(/Node\.js 22/);
    expect(readme).toContain('EBADENGINE');
    expect(readme).toContain('fonts-noto-cjk');
  });
});
