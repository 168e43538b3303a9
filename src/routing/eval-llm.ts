import { evaluate, summaryLine, type EvalLine, type EvalResult } from './eval.js';
import { overFloor, type LlmClassifier, type LlmResult } from './llm.js';
import { maskDigitRuns } from '../privacy/personal-numbers.js';
import type { Classification } from './types.js';

/**
 * `hotline eval routing FILE --llm`: the floor (rules and the learned model), the chat model
 * reading alone, and what the service does with both (the model's reading over the floor),
 * scored side by side on the same lines, with the lines where the two readers disagree.
 */

export type Disagreement = {
  text: string;
  expect: string[];
  expectUrgent: boolean;
  floor: { lead?: string; urgent: boolean; unsure: boolean };
  llm: { lead?: string; urgent: boolean; reason?: string };
};

export type Comparison = {
  floor: EvalResult;
  llm: EvalResult;
  combined: EvalResult;
  /** Lines the model answered with a valid reading, and the failures by kind. */
  answered: number;
  failures: Record<string, number>;
  disagreements: Disagreement[];
};

/** Runs `fn` over `items` with at most `limit` in flight, results in order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const NO_ANSWER: Classification = { categories: [], urgent: false, lifeDanger: false, mentalHealth: false, source: 'llm', unsure: false };

export async function compareWithLlm(
  lines: EvalLine[],
  floorOf: (text: string) => Classification,
  llm: LlmClassifier,
  concurrency = 4,
): Promise<Comparison> {
  const floors = lines.map((l) => floorOf(l.text));
  const results: LlmResult[] = await pool(lines, concurrency, (l) => llm.read(l.text));
  const alone = results.map((r): Classification => (r.ok ? { ...NO_ANSWER, categories: r.reading.categories, urgent: r.reading.urgent, lifeDanger: r.reading.lifeDanger, mentalHealth: r.reading.mentalHealth, llm: r.reading } : NO_ANSWER));
  const combined = results.map((r, i) => {
    const floor = floors[i] as Classification;
    return r.ok ? overFloor(floor, r.reading) : floor;
  });
  const at = (answers: Classification[]) => {
    const byText = new Map(lines.map((l, i) => [l.text, answers[i] as Classification]));
    return (text: string) => byText.get(text) as Classification;
  };
  const failures: Record<string, number> = {};
  for (const r of results) if (!r.ok) failures[r.error] = (failures[r.error] ?? 0) + 1;
  const disagreements: Disagreement[] = [];
  lines.forEach((line, i) => {
    const f = floors[i] as Classification;
    const r = results[i] as LlmResult;
    if (!r.ok) return;
    const fLead = f.categories[0]?.code;
    const lLead = r.reading.categories[0]?.code;
    if (fLead === lLead && f.urgent === r.reading.urgent) return;
    disagreements.push({
      text: line.text,
      expect: line.expect,
      expectUrgent: line.urgent,
      floor: { ...(fLead ? { lead: fLead } : {}), urgent: f.urgent, unsure: f.urgencyUnsure === true },
      llm: { ...(lLead ? { lead: lLead } : {}), urgent: r.reading.urgent, ...(r.reading.urgentReason ? { reason: r.reading.urgentReason } : {}) },
    });
  });
  return {
    floor: await evaluate(lines, at(floors)),
    llm: await evaluate(lines, at(alone)),
    combined: await evaluate(lines, at(combined)),
    answered: results.filter((r) => r.ok).length,
    failures,
    disagreements,
  };
}

const MAX_SHOWN = 40;

/** Side by side; the last line is the machine-readable summary of what the service does (model over floor). */
export function formatComparison(c: Comparison): string {
  const cols: [string, EvalResult][] = [['rules+model', c.floor], ['llm alone', c.llm], ['llm over floor', c.combined]];
  const row = (label: string, pick: (r: EvalResult) => number) => `  ${label.padEnd(22)}${cols.map(([, r]) => pick(r).toFixed(3).padStart(16)).join('')}`;
  const out = [
    `routing eval with the LLM: ${c.floor.total} lines; the model answered ${c.answered}`,
    ...Object.entries(c.failures).map(([why, n]) => `  no answer (${why}): ${n}`),
    `  ${''.padEnd(22)}${cols.map(([name]) => name.padStart(16)).join('')}`,
    row('lead accuracy', (r) => r.accuracy),
    row('needs found', (r) => r.needsFound),
    row('urgent recall', (r) => r.urgentRecall),
    row('urgent precision', (r) => r.urgentPrecision),
    row('urgent reached', (r) => r.urgentReached),
    row('asked about urgency', (r) => r.askRate),
    `lines where the two readers disagree (lead or urgent): ${c.disagreements.length}`,
  ];
  for (const d of c.disagreements.slice(0, MAX_SHOWN)) {
    const floor = `${d.floor.lead ?? '(none)'}${d.floor.urgent ? ' 紧急' : d.floor.unsure ? ' 拿不准' : ''}`;
    const llm = `${d.llm.lead ?? '(none)'}${d.llm.urgent ? ' 紧急' : ''}${d.llm.reason ? `（${d.llm.reason}）` : ''}`;
    out.push(`  期望 ${d.expect.join('+')}${d.expectUrgent ? ' 紧急' : ''} | 规则+模型 ${floor} | LLM ${llm}: ${maskDigitRuns(d.text)}`);
  }
  if (c.disagreements.length > MAX_SHOWN) out.push(`  … ${c.disagreements.length - MAX_SHOWN} more`);
  out.push(`rules+model: ${summaryLine(c.floor)}`, `llm alone:   ${summaryLine(c.llm)}`, summaryLine(c.combined));
  return out.join('\n');
}
