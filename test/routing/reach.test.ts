import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/routing/analyse.js';
import { parseEvalLines } from '../../src/routing/eval.js';
import { readFrames } from '../../src/routing/frames.js';
import { ruleUrgency } from '../../src/routing/urgency.js';
import { scoreOwners } from '../../src/routing/word-scores.js';

const finding = (text: string, kind: string) => readFrames(analyse(text)).findings.find((f) => f.kind === kind);

describe('urgent situations the frames used to set aside', () => {
  it('asks about a cue told in the perfect with no time of its own, rather than dropping it', () => {
    // 进水 needs "now"; 屋里进水了 says no time but reports a change that may hold as the resident speaks.
    const f = finding('俺家屋里进水了', 'flood');
    expect(f?.reading).toBe('doubtful');
    expect(f?.why).toBe('unmet');
    // Still dropped when a time says it is over, and still flagged when a time says it is now.
    expect(finding('去年屋里进水了', 'flood')?.reading).toBe('dropped');
    expect(finding('现在屋里进水了', 'flood')?.reading).toBe('holds');
  });

  it('reads sleeping rough from sleeping somewhere exposed, now, however it is worded', () => {
    expect(ruleUrgency(analyse('俺跟俺兄弟在大街上睡了三宿了')).signals).toContain('no_shelter');
    expect(ruleUrgency(analyse('我现在在车站，晚上住哪还没着落')).signals).toContain('no_shelter');
    // Not somewhere exposed, or not now: nothing.
    expect(ruleUrgency(analyse('我在家里睡了一天')).signals).not.toContain('no_shelter');
    expect(ruleUrgency(analyse('以前冬天俺在桥洞子里睡过')).signals).not.toContain('no_shelter');
  });
});

describe('whose-need rules, scored like the word lists', () => {
  it('name on the training corpus a category the line expects, most of the time', () => {
    const lines = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/train.jsonl', import.meta.url), 'utf8'));
    const scores = scoreOwners(lines);
    expect(scores.length).toBeGreaterThan(5);
    for (const s of scores.filter((x) => x.lines >= 10)) expect(s.owner?.expected, s.name).toBeGreaterThanOrEqual(0.5);
  });
});
