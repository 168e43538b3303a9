import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';
import { maskNumbers } from './mask.js';
import type { Classification } from './types.js';

/** One line of data/routing-eval.jsonl. `expect[0]` is the lead the case should get; the rest are further needs. */
export const EvalLine = z.object({ text: z.string().min(1), expect: z.array(CategoryCode).min(1), urgent: z.boolean() });
export type EvalLine = { text: string; expect: string[]; urgent: boolean };

export function parseEvalLines(jsonl: string): EvalLine[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = EvalLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`eval line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export type Miss = {
  text: string;
  expect: string[];
  got: string[];
  expectUrgent: boolean;
  gotUrgent: boolean;
  problems: ('lead' | 'urgent_missed' | 'urgent_false')[];
};

export type EvalResult = {
  total: number;
  /** Share of lines whose lead category is the expected lead (expect[0]). */
  accuracy: number;
  /** Share of lines whose top category is exactly the first expected one (stricter than accuracy). */
  leadExact: number;
  /** Share of all expected categories found anywhere in the answer (lead or assist). */
  needsFound: number;
  /** Share of urgent lines flagged (1 when the set has none). */
  urgentRecall: number;
  /** Share of flagged lines that are urgent (1 when nothing was flagged). */
  urgentPrecision: number;
  /** Expected lead → lead given → count; "(none)" when no category came back. */
  confusion: Record<string, Record<string, number>>;
  misses: Miss[];
};

const NONE = '(none)';

export async function evaluate(
  lines: EvalLine[],
  classify: (text: string) => Classification | Promise<Classification>,
): Promise<EvalResult> {
  let correct = 0;
  let leadExact = 0;
  let needs = 0;
  let needsHit = 0;
  let truePos = 0;
  let falsePos = 0;
  let falseNeg = 0;
  const confusion: EvalResult['confusion'] = {};
  const misses: Miss[] = [];

  for (const line of lines) {
    const result = await classify(line.text);
    const got = result.categories.map((c) => c.code as string);
    const expected = line.expect[0] ?? NONE;
    const given = got[0] ?? NONE;
    const row = (confusion[expected] ??= {});
    row[given] = (row[given] ?? 0) + 1;

    const problems: Miss['problems'] = [];
    // Top-1 is right when it is any of the expected categories (a multi-need text may be led by either).
    if (line.expect.includes(given)) correct++;
    else problems.push('lead');
    if (given === expected) leadExact++;
    needs += line.expect.length;
    needsHit += line.expect.filter((code) => got.includes(code)).length;
    if (line.urgent && result.urgent) truePos++;
    else if (line.urgent) {
      falseNeg++;
      problems.push('urgent_missed');
    } else if (result.urgent) {
      falsePos++;
      problems.push('urgent_false');
    }
    if (problems.length > 0) {
      misses.push({ text: line.text, expect: line.expect, got, expectUrgent: line.urgent, gotUrgent: result.urgent, problems });
    }
  }

  const ratio = (num: number, den: number): number => (den === 0 ? 1 : num / den);
  return {
    total: lines.length,
    accuracy: ratio(correct, lines.length),
    leadExact: ratio(leadExact, lines.length),
    needsFound: ratio(needsHit, needs),
    urgentRecall: ratio(truePos, truePos + falseNeg),
    urgentPrecision: ratio(truePos, truePos + falsePos),
    confusion,
    misses,
  };
}

const PROBLEM_LABEL: Record<Miss['problems'][number], string> = {
  lead: '主办类别不对',
  urgent_missed: '漏报紧急',
  urgent_false: '误报紧急',
};

/** A readable report; the last line is the machine-readable summary. */
export function formatReport(result: EvalResult): string {
  const out: string[] = [`routing eval: ${result.total} lines`, 'lead by expected category (right/total, then what it went to instead):'];
  for (const [expected, row] of Object.entries(result.confusion).sort(([a], [b]) => a.localeCompare(b))) {
    const total = Object.values(row).reduce((a, b) => a + b, 0);
    const right = row[expected] ?? 0;
    const wrong = Object.entries(row)
      .filter(([got]) => got !== expected)
      .sort(([, a], [, b]) => b - a)
      .map(([got, n]) => `${got}×${n}`)
      .join(' ');
    out.push(`  ${expected.padEnd(16)} ${right}/${total}${wrong ? `  → ${wrong}` : ''}`);
  }
  out.push(`lead exactly the first expected category: ${result.leadExact.toFixed(3)}`);
  out.push(`needs found (expected categories anywhere in the answer): ${result.needsFound.toFixed(3)}`);
  out.push(`misses: ${result.misses.length}`);
  for (const miss of result.misses) {
    const what = miss.problems.map((p) => PROBLEM_LABEL[p]).join('，');
    out.push(`  [${what}] 期望 ${miss.expect.join('+')}${miss.expectUrgent ? ' 紧急' : ''} 得到 ${miss.got.join('+') || NONE}${miss.gotUrgent ? ' 紧急' : ''}: ${maskNumbers(miss.text)}`);
  }
  out.push(`accuracy=${result.accuracy.toFixed(3)} urgent_recall=${result.urgentRecall.toFixed(3)} urgent_precision=${result.urgentPrecision.toFixed(3)}`);
  return out.join('\n');
}
