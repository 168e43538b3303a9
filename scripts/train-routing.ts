/**
 * `npm run train:routing`: trains the learned router on data/routing/corpus/train.jsonl,
 * learns the lead ranker (src/routing/lead.ts) on the model's out-of-fold predictions for the
 * training lines (each fold predicted by a model that never saw it), chooses its thresholds and
 * the ranker's regularisation on dev.jsonl, writes data/routing/model.json, and prints the
 * scores of all three splits. test.jsonl is frozen: it is scored, never tuned on.
 *
 * data/routing/form-answers.jsonl adds what the per-turn urgency check also reads and the
 * corpus never shows: answers to form questions (a village, a name, an ID number, "记不清了"),
 * labelled not urgent and with no category, so they teach the urgency output only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { CategoryCode } from '../src/domain/categories.js';
import { combine, readByRules } from '../src/routing/classify.js';
import { evaluate, parseEvalLines, summaryLine, type EvalLine } from '../src/routing/eval.js';
import { LEAD_DEFAULTS, leadCandidates, trainLead } from '../src/routing/lead.js';
import { loadModel, MODEL_PATH, type ModelFile } from '../src/routing/model/model.js';
import type { LeadWeights, Prediction, RulesReading } from '../src/routing/types.js';
import { train } from '../src/routing/model/train.js';
import { decideUrgency, type Thresholds } from '../src/routing/urgency.js';

const split = (name: string): EvalLine[] => parseEvalLines(readFileSync(new URL(`../data/routing/corpus/${name}.jsonl`, import.meta.url), 'utf8'));
const [trainLines, dev, test] = [split('train'), split('dev'), split('test')];
const FormAnswer = z.object({ text: z.string().min(1), urgent: z.literal(false) });
const formAnswers = readFileSync(new URL('../data/routing/form-answers.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => ({ ...FormAnswer.parse(JSON.parse(l)), expect: [] as string[] }));

/**
 * Urgent recall (flags only) the thresholds must keep on dev and the training lines read out of fold; among those,
 * the most precise win. Above the 0.95 the aim asks of unseen sets: a threshold set right at the bar on known lines
 * lands below it on lines written later.
 */
const RECALL_FLOOR = 0.97;
/**
 * The ask band must reach every urgent line of dev, and as many as it can of the training lines
 * read out of fold (each predicted by a model that never saw it: 1,561 honest lines more, so the
 * band is not set by dev's single hardest line and then misses its like elsewhere), asking no more
 * than this share of those lines a safety question; then the fewest questions win.
 */
const REACH_FLOOR = 1;
const MAX_ASK_RATE = 0.1;

/** Folds for the out-of-fold predictions the lead ranker learns from. */
const FOLDS = 5;
/** Regularisation of the lead ranker, chosen on dev (ties go to the stronger, the simpler ranker). */
const LEAD_L2 = [0.3, 0.1, 0.03, 0.01];

const placeholder: ModelFile['thresholds'] = { urgent: 0.5, ask: 0.2, demote: 0, doubt: 0, blend: 0.5 };
const file = train([...trainLines, ...formAnswers], placeholder);
const model = loadModel(file);
type Row = { line: EvalLine; reading: RulesReading; prediction: Prediction };
const rows: Row[] = dev.map((line) => {
  const reading = readByRules(line.text);
  return { line, reading, prediction: model.predict(line.text, reading.input) };
});

const accuracyWith = (m: { blend: number; lead?: LeadWeights }): number =>
  rows.filter(({ line, reading, prediction }) =>
    line.expect.includes(combine(reading, prediction, { thresholds: { ...placeholder, blend: m.blend }, ...(m.lead ? { lead: m.lead } : {}) }).categories[0]?.code ?? ''),
  ).length / rows.length;
const blend = Array.from({ length: 11 }, (_, i) => i / 10).reduce((best, b) => (accuracyWith({ blend: b }) > accuracyWith({ blend: best }) ? b : best), 0.5);

// The lead ranker: each training line read by the rules and predicted by a model trained on the other folds.
const trainReadings = trainLines.map((line) => readByRules(line.text));
const outOfFold: Prediction[] = new Array(trainLines.length);
for (let k = 0; k < FOLDS; k++) {
  const foldModel = loadModel(train([...trainLines.filter((_, i) => i % FOLDS !== k), ...formAnswers], placeholder));
  trainLines.forEach((line, i) => {
    if (i % FOLDS === k) outOfFold[i] = foldModel.predict(line.text, (trainReadings[i] as RulesReading).input);
  });
}
const leadExamples = trainLines.map((line, i) => ({
  candidates: leadCandidates(trainReadings[i] as RulesReading, outOfFold[i] as Prediction),
  gold: line.expect[0] as CategoryCode,
}));
let lead: { l2: number; weights: LeadWeights; accuracy: number } | undefined;
const leadTried: string[] = [];
for (const l2 of LEAD_L2) {
  const weights = trainLead(leadExamples, { ...LEAD_DEFAULTS, l2 });
  const accuracy = accuracyWith({ blend, lead: weights });
  leadTried.push(`${l2}: ${accuracy.toFixed(3)}`);
  if (!lead || accuracy > lead.accuracy) lead = { l2, weights, accuracy };
}
if (!lead) throw new Error('no lead ranker');

type Figures = { recall: number; precision: number; reached: number; askRate: number };
function figures(t: Thresholds, over: readonly Row[] = rows): Figures {
  let tp = 0, fp = 0, fn = 0, reached = 0, asked = 0;
  for (const { line, reading, prediction } of over) {
    const a = decideUrgency(reading.urgency, prediction.urgentP, t, reading.situation);
    if (a.urgent && line.urgent) tp++;
    else if (a.urgent) fp++;
    else if (line.urgent) fn++;
    if (a.unsure) asked++;
    if (line.urgent && (a.urgent || a.unsure)) reached++;
  }
  return { recall: tp / Math.max(1, tp + fn), precision: tp / Math.max(1, tp + fp), reached: reached / Math.max(1, tp + fn), askRate: asked / Math.max(1, over.length) };
}

const steps = (from: number, to: number, by: number): number[] => Array.from({ length: Math.round((to - from) / by) + 1 }, (_, i) => Math.round((from + i * by) * 1000) / 1000);
const NEVER = 1.01;

const heldOut: Row[] = trainLines.map((line, i) => ({ line, reading: trainReadings[i] as RulesReading, prediction: outOfFold[i] as Prediction }));

// 1. Flags: the model's own threshold and how confident it must be to demote a rule flag, chosen on dev and the
// training lines read out of fold together: dev alone has a few dozen urgent lines, and a threshold set on their
// edge flagged less on sets written later (R9: recall fell from 0.917 to 0.833 with thresholds chosen on dev alone).
const flagRows: Row[] = [...rows, ...heldOut];
let flags: { urgent: number; demote: number; f: Figures } | undefined;
for (const demote of [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3]) {
  for (const urgent of steps(0.05, 0.95, 0.01)) {
    const f = figures({ urgent, demote, ask: NEVER, doubt: NEVER }, flagRows);
    const better = !flags || (f.recall >= RECALL_FLOOR ? flags.f.recall < RECALL_FLOOR || f.precision > flags.f.precision || (f.precision === flags.f.precision && f.recall > flags.f.recall)
      : flags.f.recall < RECALL_FLOOR && f.recall > flags.f.recall);
    if (better) flags = { urgent, demote, f };
  }
}
if (!flags) throw new Error('no thresholds');

// 2. The ask band: doubtful rule readings and the model's own doubts. Every urgent dev line reached,
// then the most training lines reached out of fold within the question budget, then the fewest questions.
type Band = { doubt: number; ask: number; f: Figures; held: Figures };
const bandOrder = (a: Band, b: Band): number =>
  Number(b.f.reached >= REACH_FLOOR) - Number(a.f.reached >= REACH_FLOOR) || b.f.reached - a.f.reached || b.held.reached - a.held.reached || a.held.askRate - b.held.askRate;
let band: Band | undefined;
for (const doubt of [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, NEVER]) {
  for (const ask of [...steps(0.01, flags.urgent, 0.01), NEVER]) {
    const t: Thresholds = { urgent: flags.urgent, demote: flags.demote, doubt, ask };
    const held = figures(t, heldOut);
    if (held.askRate > MAX_ASK_RATE) continue;
    const candidate = { doubt, ask, f: figures(t), held };
    if (!band || bandOrder(candidate, band) < 0) band = candidate;
  }
}
if (!band) throw new Error('no ask band');

const tuned: ModelFile = { ...file, thresholds: { urgent: flags.urgent, ask: band.ask, demote: flags.demote, doubt: band.doubt, blend }, lead: lead.weights };
writeFileSync(MODEL_PATH, `${JSON.stringify(tuned)}\n`);
const final = loadModel(tuned);
const { thresholds: t } = tuned;
console.log(`trained on ${trainLines.length} lines and ${formAnswers.length} form answers, ${tuned.vocabulary.length} features; thresholds urgent=${t.urgent} ask=${t.ask} demote=${t.demote} doubt=${t.doubt} blend=${t.blend}`);
console.log(`lead ranker: ${Object.keys(lead.weights).length} weights, l2=${lead.l2} (dev lead accuracy by l2 ${leadTried.join(', ')}; blend alone ${accuracyWith({ blend }).toFixed(3)})`);
console.log(`train out of fold: urgent_recall=${band.held.recall.toFixed(3)} urgent_precision=${band.held.precision.toFixed(3)} reached=${band.held.reached.toFixed(3)} ask_rate=${band.held.askRate.toFixed(3)}`);
for (const [name, lines] of [['train', trainLines], ['dev', dev], ['test', test]] as const) {
  const r = await evaluate(lines, (text) => {
    const reading = readByRules(text);
    return combine(reading, final.predict(text, reading.input), final);
  });
  console.log(`${name.padEnd(5)} ${summaryLine(r)} reached=${r.urgentReached.toFixed(3)} ask_rate=${r.askRate.toFixed(3)}`);
}
