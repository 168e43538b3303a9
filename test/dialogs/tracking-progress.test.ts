import { describe, expect, it } from 'vitest';
import { spokenTrackingNumber } from '../../src/domain/tracking-number.js';
import { effects, issued, run, text } from './helpers.js';

/** The progress flow with numbers as issued now: read in any written form, a slip pointed out before any lookup. */
const N = issued(3, '20261101');
const EXISTING = [{ trackingNumber: N, statusText: '镇街已入户调查，正在区民政局审批', nextDate: '2026-12-04' }];
const grouped = `${N.slice(0, 4)} ${N.slice(4, 8)} ${N.slice(8)}`;
const chinese = [...N].map((d) => '零幺两三四五六七八九'[Number(d)]).join('');
const slip = `${N.slice(0, 7)}${(Number(N[7]) + 1) % 10}${N.slice(8)}`;

describe('progress by a tracking number as issued now', () => {
  it.each([
    ['in groups', `查一下 ${grouped}`],
    ['with dashes', `编号${N.slice(0, 4)}-${N.slice(4, 8)}-${N.slice(8)}`],
    ['in Chinese digits, as said to a recogniser', `俺的号是${chinese}`],
  ])('sms, %s', (_, said) => {
    const t = run('sms', [said], { existingCases: EXISTING });
    expect(effects(t.turns[0], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: N }]);
    expect(text(t.turns[0])).toContain(`承办编号${N}：镇街已入户调查`);
  });

  it('voice: keyed, then read back in three groups', () => {
    const t = run('voice', ['', '[keys]3', `[keys]${N}#`], { existingCases: EXISTING });
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: N }]);
    expect(t.turns[2]!.replies[0]!.speech).toContain(`承办编号${spokenTrackingNumber(N)}`);
  });

  it('a wrong digit is pointed out at once, nothing is looked up, and the right number then found', () => {
    const t = run('sms', ['3', slip, grouped], { existingCases: EXISTING });
    expect(effects(t.turns[1], 'lookup_progress')).toEqual([]);
    expect(text(t.turns[1])).toContain('这个编号核对不上');
    expect(text(t.turns[1])).toContain('请告诉我承办编号');
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: N }]);
  });

  it('a slip in the first message starts the progress flow with the same prompt', () => {
    const t = run('sms', [`查一下 ${slip}`], { existingCases: EXISTING });
    expect(t.state?.flow).toBe('progress');
    expect(effects(t.turns[0], 'lookup_progress')).toEqual([]);
    expect(text(t.turns[0])).toContain('这个编号核对不上');
  });

  it('the prompt gives an example that is itself a valid number, spoken in groups on a call', () => {
    const t = run('voice', ['', '[keys]3']);
    expect(t.turns[1]!.replies[0]!.speech).toContain('2 6 1 2，0 7 3 4，5 1 6 3');
  });
});
