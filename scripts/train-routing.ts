/**
 * `npm run train:routing`: trains the learned router on data/routing/corpus/train.jsonl,
 * chooses its thresholds on dev.jsonl, writes data/routing/model.json, and prints the
 * scores of all three splits. test.jsonl is frozen: it is scored, never tuned on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { classifyByRules, combine } from '../src/routing/classify.js';
import { evaluate, parseEvalLines, summaryLine, type EvalLine } from '../src/routing/eval.js';
import { loadModel, MODEL_PATH, type ModelFile } from '../src/routing/model/model.js';
import { train } from '../src/routing/model/train.js';

const split = (name: string): EvalLine[] => parseEvalLines(readFileSync(new URL(`../data/routing/corpus/${name}.jsonl`, import.meta.url), 'utf8'));
const [trainLines, dev, test] = [split('train'), split('dev'), split('test')];

/** Urgent precision the model's own flags must keep on dev; below it a threshold is too eager. */
const PRECISION_FLOOR = 0.85;
/** Share of dev's urgent lines that must be flagged or asked about. */
const ASK_RECALL = 0.99;

const file = train(trainLines, { urgent: 0.5, ask: 0.2, blend: 0.5 });
const model = loadModel(file);
const devRules = dev.map((l) => ({ line: l, rules: classifyByRules(l.text), prediction: model.predict(l.text) }));

const accuracyAt = (blend: number): number =>
  devRules.filter(({ line, rules, prediction }) => line.expect.includes(combine(rules, prediction, { urgent: 1, ask: 1, blend }).categories[0]?.code ?? '')).length /
  devRules.length;
const blends = Array.from({ length: 11 }, (_, i) => i / 10);
const blend = blends.reduce((best, b) => (accuracyAt(b) > accuracyAt(best) ? b : best), 0.5);

const urgentFigures = (t: number) => {
  let tp = 0, fp = 0, fn = 0;
  for (const { line, rules, prediction } of devRules) {
    const flagged = rules.urgent || prediction.urgentP >= t;
    if (flagged && line.urgent) tp++;
    else if (flagged) fp++;
    else if (line.urgent) fn++;
  }
  return { recall: tp / Math.max(1, tp + fn), precision: tp / Math.max(1, tp + fp) };
};
const steps = Array.from({ length: 95 }, (_, i) => 0.03 + i * 0.01);
const f2 = (t: number): number => {
  const { recall: r, precision: p } = urgentFigures(t);
  return (5 * p * r) / Math.max(1e-9, 4 * p + r);
};
// The lowest threshold that keeps the floor; where the rules alone are below it, the one that weighs recall twice.
const urgent = steps.find((t) => urgentFigures(t).precision >= PRECISION_FLOOR) ?? steps.reduce((best, t) => (f2(t) > f2(best) ? t : best));
const ask = [...steps].reverse().find((t) => t <= urgent && urgentFigures(t).recall >= ASK_RECALL) ?? 0.03;

const tuned: ModelFile = { ...file, thresholds: { urgent, ask, blend } };
writeFileSync(MODEL_PATH, `${JSON.stringify(tuned)}\n`);
const final = loadModel(tuned);
console.log(`trained on ${trainLines.length} lines, ${tuned.vocabulary.length} features; thresholds urgent=${urgent.toFixed(2)} ask=${ask.toFixed(2)} blend=${blend}`);
for (const [name, lines] of [['train', trainLines], ['dev', dev], ['test', test]] as const) {
  console.log(`${name.padEnd(5)} ${summaryLine(await evaluate(lines, (t) => combine(classifyByRules(t), final.predict(t), final.thresholds)))}`);
}
