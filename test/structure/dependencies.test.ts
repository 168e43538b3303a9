import { describe, expect, it } from 'vitest';
import { checkDependencies, roomOf } from '../../scripts/check-deps.js';

// The import check of CI (npm run check:deps): dependency-cruiser over src/ with .dependency-cruiser.cjs, plus the
// circles between top-level rooms. A new circle fails here with the files that make it.
describe('imports in src/ form no circle', () => {
  it('has no file circle, no folder circle and no circle between rooms', { timeout: 120_000 }, async () => {
    const report = await checkDependencies();
    expect(report.modules).toBeGreaterThan(100);
    expect(report.violations).toEqual([]);
    expect(report.roomCircles).toEqual([]);
  });

  it('counts a folder of src/ as one room and a file directly in src/ as its own', () => {
    expect(roomOf('src/referrals/clock/zone.ts')).toBe('src/referrals');
    expect(roomOf('src/composition.ts')).toBe('src/composition.ts');
    expect(roomOf('node_modules/zod/index.js')).toBeUndefined();
  });
});
