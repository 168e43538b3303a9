import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CategoryCode } from '../../src/domain/categories.js';
import { CountyDirectory } from '../../src/directory/schema.js';
import { planReferrals } from '../../src/routing/plan.js';
import type { Classification } from '../../src/routing/types.js';

const directory = CountyDirectory.parse(JSON.parse(readFileSync(new URL('../../data/counties/lanshan.json', import.meta.url), 'utf8')));

const classification = (...codes: CategoryCode[]): Classification => ({
  categories: codes.map((code) => ({ code, confidence: 0.8, reason: 'test' })),
  urgent: false,
  lifeDanger: false,
  mentalHealth: false,
  source: 'rules',
  unsure: false,
});

describe('planReferrals', () => {
  it('sends a township-first application to the township to investigate and the agency to approve', () => {
    expect(planReferrals({ classification: classification('minimum_living'), townshipCode: 'zaoyuan', directory, caseType: 'application' })).toEqual([
      { category: 'minimum_living', role: 'assist', unit: { kind: 'township', code: 'zaoyuan' }, step: 'investigate' },
      { category: 'minimum_living', role: 'lead', unit: { kind: 'agency', code: 'minzheng' }, step: 'handle' },
    ]);
  });

  it('sends other categories to their agency and tells the township; the top category leads', () => {
    expect(planReferrals({ classification: classification('medical', 'extreme_poverty'), townshipCode: 'bancheng', directory, caseType: 'application' })).toEqual([
      { category: 'medical', role: 'lead', unit: { kind: 'agency', code: 'yibao' }, step: 'handle' },
      { category: 'medical', role: 'assist', unit: { kind: 'township', code: 'bancheng' }, step: 'notify' },
      { category: 'extreme_poverty', role: 'assist', unit: { kind: 'township', code: 'bancheng' }, step: 'investigate' },
      { category: 'extreme_poverty', role: 'assist', unit: { kind: 'agency', code: 'minzheng' }, step: 'handle' },
    ]);
  });

  it('has the township give aid first in an emergency, once, then each agency handles', () => {
    const plan = planReferrals({ classification: classification('disaster', 'temporary', 'housing'), townshipCode: 'yitang', directory, caseType: 'emergency' });
    expect(plan).toEqual([
      { category: 'temporary', role: 'assist', unit: { kind: 'township', code: 'yitang' }, step: 'aid_first' },
      { category: 'disaster', role: 'lead', unit: { kind: 'agency', code: 'yingji' }, step: 'handle' },
      { category: 'temporary', role: 'assist', unit: { kind: 'agency', code: 'minzheng' }, step: 'handle' },
      { category: 'housing', role: 'assist', unit: { kind: 'agency', code: 'zhujian' }, step: 'handle' },
    ]);
  });

  it('files the aid-first task under the lead when temporary assistance is not among the needs', () => {
    const plan = planReferrals({ classification: classification('women'), townshipCode: 'liguan', directory, caseType: 'emergency' });
    expect(plan[0]).toEqual({ category: 'women', role: 'assist', unit: { kind: 'township', code: 'liguan' }, step: 'aid_first' });
    expect(plan[1]).toEqual({ category: 'women', role: 'lead', unit: { kind: 'agency', code: 'fulian' }, step: 'handle' });
  });

  for (const townshipCode of [undefined, null, 'no-such-township']) {
    it(`sends the township side to the county window when the township is ${townshipCode ?? 'unknown'}`, () => {
      const plan = planReferrals({ classification: classification('temporary', 'education'), townshipCode, directory, caseType: 'application' });
      const window = { kind: 'county_window', code: 'minzheng' };
      expect(plan).toEqual([
        { category: 'temporary', role: 'assist', unit: window, step: 'investigate' },
        { category: 'temporary', role: 'lead', unit: { kind: 'agency', code: 'minzheng' }, step: 'handle' },
        { category: 'education', role: 'assist', unit: { kind: 'agency', code: 'jiaoti' }, step: 'handle' },
        { category: 'education', role: 'assist', unit: window, step: 'notify' },
      ]);
    });
  }

  it('sends an emergency with no known township to the county window for aid first', () => {
    const plan = planReferrals({ classification: classification('disaster'), townshipCode: undefined, directory, caseType: 'emergency' });
    expect(plan[0]).toEqual({ category: 'disaster', role: 'assist', unit: { kind: 'county_window', code: 'minzheng' }, step: 'aid_first' });
  });

  it('never drops a case with no category: the county window dispatches it', () => {
    expect(planReferrals({ classification: classification(), townshipCode: 'zaoyuan', directory, caseType: 'application' })).toEqual([
      { category: 'temporary', role: 'lead', unit: { kind: 'county_window', code: 'minzheng' }, step: 'handle' },
    ]);
  });

  it('has exactly one lead', () => {
    const plan = planReferrals({ classification: classification('child', 'education', 'medical'), townshipCode: 'fangcheng', directory, caseType: 'application' });
    expect(plan.filter((r) => r.role === 'lead')).toEqual([{ category: 'child', role: 'lead', unit: { kind: 'agency', code: 'minzheng' }, step: 'handle' }]);
  });
});
