import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATEGORY_CODES, type CategoryCode } from '../../domain/categories.js';
import { features } from './features.js';

/**
 * The learned router: a linear model over character and pinyin n-grams, trained by
 * `npm run train:routing` on data/routing/corpus (train split) and committed as data.
 * Outputs one softmax over the lead category and one probability that the text is urgent.
 * Weights are int8 with one scale, so the file stays small enough to commit.
 */

export const ModelFile = z.object({
  version: z.literal(1),
  classes: z.array(z.enum(CATEGORY_CODES)),
  vocabulary: z.array(z.string()),
  /** Base64 int8, vocabulary × (classes + 1), row-major; the last column is urgency. */
  weights: z.string(),
  bias: z.array(z.number()),
  scale: z.number().positive(),
  /** Thresholds chosen on the dev split: urgent at or above `urgent`, ask at or above `ask`. */
  thresholds: z.object({ urgent: z.number(), ask: z.number(), blend: z.number() }),
  trainedOn: z.object({ lines: z.number(), at: z.string() }),
});
export type ModelFile = z.infer<typeof ModelFile>;

export type Prediction = {
  /** Lead-category probabilities, highest first. */
  ranked: { code: CategoryCode; p: number }[];
  urgentP: number;
};

export type RoutingModel = { predict(text: string): Prediction; thresholds: ModelFile['thresholds'] };

/** Probabilities from logits, shifted by the largest so no exponent overflows. */
export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

export function loadModel(file: ModelFile): RoutingModel {
  const index = new Map(file.vocabulary.map((f, i) => [f, i]));
  const width = file.classes.length + 1;
  const w = new Int8Array(Buffer.from(file.weights, 'base64'));
  if (w.length !== file.vocabulary.length * width) throw new Error('routing model: weights do not match the vocabulary');
  return {
    thresholds: file.thresholds,
    predict(text) {
      const z = [...file.bias];
      const rows = features(text)
        .map((f) => index.get(f))
        .filter((i): i is number => i !== undefined);
      // Features are scaled by 1/√n so long and short texts give logits of one size.
      const norm = rows.length > 0 ? file.scale / Math.sqrt(rows.length) : 0;
      for (const row of rows) {
        const base = row * width;
        for (let k = 0; k < width; k++) z[k] = (z[k] as number) + (w[base + k] as number) * norm;
      }
      const p = softmax(z.slice(0, file.classes.length));
      const ranked = file.classes.map((code, k) => ({ code, p: p[k] as number })).sort((a, b) => b.p - a.p);
      return { ranked, urgentP: 1 / (1 + Math.exp(-(z[width - 1] as number))) };
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
