import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../domain/categories.js';
import type { LeadWeights, Prediction } from '../types.js';
import { featureInput, gramText, wordFeatureReader, type FeatureInput } from './features.js';
import { gramTable } from './gram-table.js';

/**
 * The learned router: a linear model over character and pinyin n-grams, trained by
 * `npm run train:routing` on data/routing/corpus (train split) and committed as data.
 * Outputs one softmax over the lead category and one probability that the text is urgent.
 * Weights are int8 with one scale, so the file stays small enough to commit.
 */

export const ModelFile = z.object({
  /** 2: characters, pinyin, words and situation frames (features.ts). */
  version: z.literal(2),
  classes: z.array(z.enum(CATEGORY_CODES)),
  vocabulary: z.array(z.string()),
  /** Base64 int8, vocabulary × (classes + 1), row-major; the last column is urgency. */
  weights: z.string(),
  bias: z.array(z.number()),
  scale: z.number().positive(),
  /**
   * Chosen on the dev split (see `decideUrgency` in urgency.ts): the model alone flags at or above
   * `urgent` and asks at or above `ask`; a rule flag the model puts below `demote` is asked about
   * instead of flagged; a doubtful rule reading is asked about at or above `doubt`. `blend` is the
   * rules' share of the lead-category score when the file has no `lead` ranker.
   */
  thresholds: z.object({ urgent: z.number(), ask: z.number(), demote: z.number(), doubt: z.number(), blend: z.number() }),
  /** The lead ranker's weights (lead.ts), learned on out-of-fold predictions of the training split. */
  lead: z.record(z.string(), z.number()).optional(),
  trainedOn: z.object({ lines: z.number(), at: z.string() }),
});
export type ModelFile = z.infer<typeof ModelFile>;

export type RoutingModel = {
  /** `input` is the text's analysis and frames when the caller has them already. */
  predict(text: string, input?: FeatureInput): Prediction;
  /** `predict(text, input).urgentP` alone, without the categories (a story read part by part needs no more). */
  urgentP(text: string, input?: FeatureInput): number;
  thresholds: ModelFile['thresholds'];
  /** How the lead is chosen among the categories (lead.ts); without it, a blend of rules and model. */
  lead?: LeadWeights;
};

/** Probabilities from logits, shifted by the largest so no exponent overflows. */
export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

export function loadModel(file: ModelFile): RoutingModel {
  const index = new Map(file.vocabulary.map((f, i) => [f, i]));
  // Character n-grams are most of the features and most of the cost.
  const grams = gramTable(index);
  // Which rows this call has counted already: a stamp per row, so no set is built per call;
  // the distinct rows are gathered first, then their weights summed an output at a time.
  const seen = new Uint32Array(file.vocabulary.length);
  const found = new Int32Array(file.vocabulary.length);
  let stamp = 0;
  const width = file.classes.length + 1;
  const w = new Int8Array(Buffer.from(file.weights, 'base64'));
  if (w.length !== file.vocabulary.length * width) throw new Error('routing model: weights do not match the vocabulary');
  // The other features, each list as the rows of those the vocabulary knows.
  const readWords = wordFeatureReader((names) => Int32Array.from(names.map((f) => index.get(f) ?? -1).filter((row) => row >= 0)));

  // One reading at a time: how many rows it has gathered so far (made once here, not per call).
  let known = 0;
  const count = (row: number): void => {
    if (seen[row] === stamp) return;
    seen[row] = stamp;
    found[known++] = row * width;
  };
  const countAll = (rows: Int32Array): void => {
    for (const row of rows) count(row);
  };
  /** Gathers the rows of the text's known features into `found`, each once (as training reads them); how many. */
  const gather = (input: FeatureInput): number => {
    stamp = stamp === 0xffffffff ? 1 : stamp + 1;
    if (stamp === 1) seen.fill(0);
    known = 0;
    grams.forEachRow(gramText(input), count);
    readWords(input, countAll);
    return known;
  };
  /** One output's logit: the gathered weights summed as integers and scaled once, 1/√n so long and short texts give logits of one size. */
  const logit = (known: number, k: number): number => {
    let sum = 0;
    for (let i = 0; i < known; i++) sum += w[(found[i] as number) + k] as number;
    const norm = known > 0 ? file.scale / Math.sqrt(known) : 0;
    return (file.bias[k] as number) + sum * norm;
  };
  const urgency = (z: number): number => 1 / (1 + Math.exp(-z));

  return {
    thresholds: file.thresholds,
    ...(file.lead ? { lead: file.lead } : {}),
    predict(text, input = featureInput(text)) {
      const known = gather(input);
      const z = file.bias.map((_, k) => logit(known, k));
      const p = softmax(z.slice(0, file.classes.length));
      const ranked = file.classes.map((code, k) => ({ code, p: p[k] as number })).sort((a, b) => b.p - a.p);
      return { ranked, urgentP: urgency(z[width - 1] as number) };
    },
    urgentP(text, input = featureInput(text)) {
      return urgency(logit(gather(input), width - 1));
    },
  };
}

export const MODEL_PATH = new URL('../../../data/routing/model.json', import.meta.url);

let shipped: RoutingModel | undefined;

/** The committed model, read once on first use. */
export function shippedModel(): RoutingModel {
  shipped ??= loadModel(ModelFile.parse(JSON.parse(readFileSync(MODEL_PATH, 'utf8'))));
  return shipped;
}
