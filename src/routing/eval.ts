import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';
import { maskDigitRuns } from '../privacy/personal-numbers.js';
import type { Classification } from './types.js';

/**
 * One line of data/routing/corpus/test.jsonl. `expect[0]` is the lead the case should get; the rest are further needs.
 * An empty `expect` is a message with no assistance need (a complaint about the line, a thank-you): right when no category comes back.
 */
export const EvalLine = z.object({ text: z.string().min(1), expect: z.array(CategoryCode), urgent: z.boolean(), style: z.string().optional() });
export type EvalLine = { text: string; expect: string[]; urgent: boolean; style?: string | undefined };

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
  /** Share of urgent lines flagged or marked unsure (the safety question reaches those). */
  urgentReached: number;
  /** Share of lines marked unsure about urgency (each costs the resident a safety question). */
  askRate: number;
  /** Lines read as asking for no assistance, and those of them whose line expects a category (to read by eye). */
  noNeed: { lines: number; expectingCategory: string[] };
  /** The same figures per `style`, for lines that carry one. */
  styles: Record<string, { total: number; accuracy: number; urgentRecall: number; urgentPrecision: number }>;
  /** Expected lead → lead given → count; "(none)" when no category came back. */
  confusion: Record<string, Record<string, number>>;
  misses: Miss[];
};

const NONE = '(none)';

/** A line expecting no category is right when none comes back (or the reading says it asks for nothing); any other, when the lead is one it expects. */
const leadRight = (expect: string[], given: string) => (expect.length === 0 ? given === NONE : expect.includes(given));

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
  let reached = 0;
  let asked = 0;
  const perStyle = new Map<string, { total: number; right: number; tp: number; fp: number; fn: number }>();
  let noNeed = 0;
  const noNeedOnNeeds: string[] = [];

  for (const line of lines) {
    const result = await classify(line.text);
    const got = result.categories.map((c) => c.code as string);
    const expected = line.expect[0] ?? NONE;
    if (result.noNeed !== undefined) {
      noNeed++;
      if (line.expect.length > 0) noNeedOnNeeds.push(line.text);
    }
    const given = line.expect.length === 0 && result.noNeed !== undefined ? NONE : (got[0] ?? NONE);
    const row = (confusion[expected] ??= {});
    row[given] = (row[given] ?? 0) + 1;

    if (result.urgencyUnsure) asked++;
    if (line.urgent && (result.urgent || result.urgencyUnsure)) reached++;
    if (line.style !== undefined) {
      const st = perStyle.get(line.style) ?? { total: 0, right: 0, tp: 0, fp: 0, fn: 0 };
      perStyle.set(line.style, st);
      st.total++;
      if (leadRight(line.expect, given)) st.right++;
      if (line.urgent && result.urgent) st.tp++;
      else if (line.urgent) st.fn++;
      else if (result.urgent) st.fp++;
    }
    const problems: Miss['problems'] = [];
    // Top-1 is right when it is any of the expected categories (a multi-need text may be led by either).
    if (leadRight(line.expect, given)) correct++;
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
    urgentReached: ratio(reached, truePos + falseNeg),
    askRate: ratio(asked, lines.length),
    noNeed: { lines: noNeed, expectingCategory: noNeedOnNeeds },
    styles: Object.fromEntries(
      [...perStyle].map(([style, st]) => [
        style,
        { total: st.total, accuracy: ratio(st.right, st.total), urgentRecall: ratio(st.tp, st.tp + st.fn), urgentPrecision: ratio(st.tp, st.tp + st.fp) },
      ]),
    ),
    confusion,
    misses,
  };
}

const PROBLEM_LABEL: Record<Miss['problems'][number], string> = {
  lead: '主办类别不对',
  urgent_missed: '漏报紧急',
  urgent_false: '误报紧急',
};

/** The machine-readable summary: the report's last line. */
export function summaryLine(result: EvalResult): string {
  return `accuracy=${result.accuracy.toFixed(3)} urgent_recall=${result.urgentRecall.toFixed(3)} urgent_precision=${result.urgentPrecision.toFixed(3)}`;
}

/** The most frequent wrong leads across the set, "expected→given ×n". */
function worstConfusions(result: EvalResult, most: number): string[] {
  return Object.entries(result.confusion)
    .flatMap(([expected, row]) => Object.entries(row).filter(([given]) => given !== expected).map(([given, n]) => ({ expected, given, n })))
    .sort((a, b) => b.n - a.n)
    .slice(0, most)
    .map(({ expected, given, n }) => `  ${expected} → ${given} ×${n}`);
}

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
    out.push(`  [${what}] 期望 ${miss.expect.join('+')}${miss.expectUrgent ? ' 紧急' : ''} 得到 ${miss.got.join('+') || NONE}${miss.gotUrgent ? ' 紧急' : ''}: ${maskDigitRuns(miss.text)}`);
  }
  const styles = Object.entries(result.styles).sort(([a], [b]) => a.localeCompare(b));
  if (styles.length > 0) out.push('by style (lines, accuracy, urgent recall, urgent precision):');
  for (const [style, st] of styles) {
    out.push(`  ${style.padEnd(18)} ${String(st.total).padStart(4)}  ${st.accuracy.toFixed(3)}  ${st.urgentRecall.toFixed(3)}  ${st.urgentPrecision.toFixed(3)}`);
  }
  const worst = worstConfusions(result, 10);
  if (worst.length > 0) out.push('worst confusions (expected → given):', ...worst);
  out.push(`urgent reached (flagged or asked): ${result.urgentReached.toFixed(3)}; asked about urgency: ${result.askRate.toFixed(3)} of lines`);
  out.push(`read as asking for no assistance: ${result.noNeed.lines} lines, ${result.noNeed.expectingCategory.length} of them expecting a category`);
  for (const text of result.noNeed.expectingCategory) out.push(`  [未提出需求？] ${text}`);
  out.push(summaryLine(result));
  return out.join('\n');
}
