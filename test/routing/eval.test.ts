import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORY_CODES } from '../../src/domain/categories.js';
import { classify } from '../../src/routing/classify.js';
import { evaluate, formatReport, parseEvalLines, type EvalLine } from '../../src/routing/eval.js';
import type { Classification } from '../../src/routing/types.js';

const answer = (codes: string[], urgent: boolean): Classification => ({
  categories: codes.map((code) => ({ code: code as Classification['categories'][number]['code'], confidence: 0.9, reason: 'test' })),
  urgent,
  lifeDanger: false,
  mentalHealth: false,
  source: 'rules',
  unsure: false,
});

const LINES: EvalLine[] = [
  { text: 'a', expect: ['medical'], urgent: false },
  { text: 'b', expect: ['medical', 'temporary'], urgent: true },
  { text: 'c', expect: ['housing'], urgent: true },
  { text: 'd 电话13812341234', expect: ['education'], urgent: false },
];
const ANSWERS: Record<string, Classification> = {
  a: answer(['medical'], false),
  b: answer(['temporary', 'medical'], true),
  c: answer(['housing'], false),
  'd 电话13812341234': answer([], true),
};

describe('evaluate', () => {
  it('scores the lead (any expected category counts as right), the needs found and urgency', async () => {
    const result = await evaluate(LINES, (text) => ANSWERS[text] as Classification);
    expect(result.total).toBe(4);
    expect(result.accuracy).toBe(0.75);
    expect(result.leadExact).toBe(0.5);
    expect(result.needsFound).toBe(0.8);
    expect(result.urgentRecall).toBe(0.5);
    expect(result.urgentPrecision).toBe(0.5);
    expect(result.confusion).toEqual({
      medical: { medical: 1, temporary: 1 },
      housing: { housing: 1 },
      education: { '(none)': 1 },
    });
    expect(result.misses.map((m) => [m.text, m.problems])).toEqual([
      ['c', ['urgent_missed']],
      ['d 电话13812341234', ['lead', 'urgent_false']],
    ]);
  });

  it('accepts an async classifier', async () => {
    const result = await evaluate(LINES, async (text) => ANSWERS[text] as Classification);
    expect(result.accuracy).toBe(0.75);
  });

  it('reports 1 for recall and precision when there is nothing to find or nothing flagged', async () => {
    const result = await evaluate([{ text: 'a', expect: ['medical'], urgent: false }], () => answer(['medical'], false));
    expect(result.urgentRecall).toBe(1);
    expect(result.urgentPrecision).toBe(1);
  });
});

describe('formatReport', () => {
  it('ends with the summary line and masks numbers in the misses', async () => {
    const report = formatReport(await evaluate(LINES, (text) => ANSWERS[text] as Classification));
    const lines = report.split('\n');
    expect(lines.at(-1)).toBe('accuracy=0.750 urgent_recall=0.500 urgent_precision=0.500');
    expect(report).toContain('medical          1/2  → temporary×1');
    expect(report).toContain('138****1234');
    expect(report).not.toContain('13812341234');
  });
});

describe('the routing eval set', () => {
  const lines = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/test.jsonl', import.meta.url), 'utf8'));

  it('is big and varied enough to mean something', () => {
    expect(lines.length).toBeGreaterThanOrEqual(180);
    for (const code of CATEGORY_CODES) expect(lines.filter((l) => l.expect[0] === code).length, code).toBeGreaterThanOrEqual(5);
    const urgentShare = lines.filter((l) => l.urgent).length / lines.length;
    expect(urgentShare).toBeGreaterThan(0.2);
    expect(urgentShare).toBeLessThan(0.4);
  });

  it('is classified with accuracy >= 0.9, urgent recall >= 0.93 and every urgent line but one reached by rules and model', async () => {
    const result = await evaluate(lines, (t) => classify(t));
    const summary = formatReport(result).split('\n').at(-1);
    expect(result.accuracy, summary).toBeGreaterThanOrEqual(0.9);
    expect(result.urgentRecall, summary).toBeGreaterThanOrEqual(0.93);
    expect(result.urgentReached * lines.filter((l) => l.urgent).length, summary).toBeGreaterThanOrEqual(lines.filter((l) => l.urgent).length - 1);
  });

  it('is hard enough that a classifier answering temporary every time falls short', async () => {
    const result = await evaluate(lines, () => answer(['temporary'], false));
    expect(result.accuracy).toBeLessThan(0.85);
    expect(result.urgentRecall).toBe(0);
  });
});
