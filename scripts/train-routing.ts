/**
 * `npm run train:routing`: trains the learned router on data/routing/corpus/train.jsonl,
 * chooses its thresholds on dev.jsonl, writes data/routing/model.json, and prints the
 * scores of all three splits. test.jsonl is frozen: it is scored, never tuned on.
 *
 * data/routing/form-answers.jsonl adds what the per-turn urgency check also reads and the
 * corpus never shows: answers to form questions (a village, a name, an ID number, "记不清了"),
 * labelled not urgent and with no category, so they teach the urgency output only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { combine, readByRules, type RulesReading } from '../src/routing/classify.js';
import { evaluate, parseEvalLines, summaryLine, type EvalLine } from '../src/routing/eval.js';
import { loadModel, MODEL_PATH, type ModelFile, type Prediction } from '../src/routing/model/model.js';
import { train } from '../src/routing/model/train.js';
import { decideUrgency, type Thresholds } from '../src/routing/urgency.js';

const split = (name: string): EvalLine[] => parseEvalLines(readFileSync(new URL(`../data/routing/corpus/${name}.jsonl`, import.meta.url), 'utf8'));
const [trainLines, dev, test] = [split('train'), split('dev'), split('test')];
const FormAnswer = z.object({ text: z.string().min(1), urgent: z.literal(false) });
const formAnswers = readFileSync(new URL('../data/routing/form-answers.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => ({ ...FormAnswer.parse(JSON.parse(l)), expect: [] as string[] }));

/** Urgent recall (flags only) the thresholds must keep on dev; among those, the most precise win. */
const RECALL_FLOOR = 0.95;
/** Share of dev's urgent lines that must be flagged or asked about; among those, the fewest questions win. */
const REACH_FLOOR = 1;
/** More questions than this share of lines is too many to ask residents; then reach as far as it allows. */
const MAX_ASK_RATE = 0.25;

const placeholder: ModelFile['thresholds'] = { urgent: 0.5, ask: 0.2, demote: 0, doubt: 0, blend: 0.5 };
const file = train([...trainLines, ...formAnswers], placeholder);
const model = loadModel(file);
type Row = { line: EvalLine; reading: RulesReading; prediction: Prediction };
const rows: Row[] = dev.map((line) => {
  const reading = readByRules(line.text);
  return { line, reading, prediction: model.predict(line.text, reading.input) };
});

const accuracyAt = (blend: number): number =>
  rows.filter(({ line, reading, prediction }) => line.expect.includes(combine(reading, prediction, { ...placeholder, blend }).categories[0]?.code ?? '')).length / rows.length;
const blend = Array.from({ length: 11 }, (_, i) => i / 10).reduce((best, b) => (accuracyAt(b) > accuracyAt(best) ? b : best), 0.5);

type Figures = { recall: number; precision: number; reached: number; askRate: number };
function figures(t: Thresholds): Figures {
  let tp = 0, fp = 0, fn = 0, reached = 0, asked = 0;
  for (const { line, reading, prediction } of rows) {
    const a = decideUrgency(reading.urgency, prediction.urgentP, t, reading.situation);
    if (a.urgent && line.urgent) tp++;
    else if (a.urgent) fp++;
    else if (line.urgent) fn++;
    if (a.unsure) asked++;
    if (line.urgent && (a.urgent || a.unsure)) reached++;
  }
  return { recall: tp / Math.max(1, tp + fn), precision: tp / Math.max(1, tp + fp), reached: reached / Math.max(1, tp + fn), askRate: asked / rows.length };
}

const steps = (from: number, to: number, by: number): number[] => Array.from({ length: Math.round((to - from) / by) + 1 }, (_, i) => Math.round((from + i * by) * 1000) / 1000);
const NEVER = 1.01;

// 1. Flags: the model's own threshold and how confident it must be to demote a rule flag.
let flags: { urgent: number; demote: number; f: Figures } | undefined;
for (const demote of [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3]) {
  for (const urgent of steps(0.05, 0.95, 0.01)) {
    const f = figures({ urgent, demote, ask: NEVER, doubt: NEVER });
    const better = !flags || (f.recall >= RECALL_FLOOR ? flags.f.recall < RECALL_FLOOR || f.precision > flags.f.precision || (f.precision === flags.f.precision && f.recall > flags.f.recall)
      : flags.f.recall < RECALL_FLOOR && f.recall > flags.f.recall);
    if (better) flags = { urgent, demote, f };
  }
}
if (!flags) throw new Error('no thresholds');

// 2. The ask band: doubtful rule readings and the model's own doubts, as few questions as reach every urgent line.
let band: { doubt: number; ask: number; f: Figures } | undefined;
for (const doubt of [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, NEVER]) {
  for (const ask of [...steps(0.01, flags.urgent, 0.01), NEVER]) {
    const f = figures({ urgent: flags.urgent, demote: flags.demote, doubt, ask });
    if (f.askRate > MAX_ASK_RATE) continue;
    const better = !band || (f.reached >= REACH_FLOOR ? band.f.reached < REACH_FLOOR || f.askRate < band.f.askRate : band.f.reached < REACH_FLOOR && (f.reached > band.f.reached || (f.reached === band.f.reached && f.askRate < band.f.askRate)));
    if (better) band = { doubt, ask, f };
  }
}
if (!band) throw new Error('no ask band');

const tuned: ModelFile = { ...file, thresholds: { urgent: flags.urgent, ask: band.ask, demote: flags.demote, doubt: band.doubt, blend } };
writeFileSync(MODEL_PATH, `${JSON.stringify(tuned)}\n`);
const final = loadModel(tuned);
const { thresholds: t } = tuned;
console.log(`trained on ${trainLines.length} lines and ${formAnswers.length} form answers, ${tuned.vocabulary.length} features; thresholds urgent=${t.urgent} ask=${t.ask} demote=${t.demote} doubt=${t.doubt} blend=${t.blend}`);
for (const [name, lines] of [['train', trainLines], ['dev', dev], ['test', test]] as const) {
  const r = await evaluate(lines, (text) => {
    const reading = readByRules(text);
    return combine(reading, final.predict(text, reading.input), final.thresholds);
  });
  console.log(`${name.padEnd(5)} ${summaryLine(r)} reached=${r.urgentReached.toFixed(3)} ask_rate=${r.askRate.toFixed(3)}`);
}
