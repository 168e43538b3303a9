import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../domain/categories.js';
import type { LeadWeights, Prediction } from '../types.js';
import { featureInput, forEachWordFeature, gramText, type FeatureInput } from './features.js';

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

/** The character n-grams of the vocabulary as a trie over code points, so looking one up builds no string; `row` -1: a prefix only. */
type GramNode = { row: number; next?: Map<number, GramNode> };

function gramTrie(index: ReadonlyMap<string, number>): Map<number, GramNode> {
  const root = new Map<number, GramNode>();
  for (const [f, row] of index) {
    if (!f.startsWith('c')) continue;
    const points = [...f.slice(1)].map((c) => c.codePointAt(0) as number);
    // forEachGram gives 1–3 characters: a longer entry is never looked up.
    if (points.length === 0 || points.length > 3) continue;
    let level = root;
    let node: GramNode | undefined;
    for (const point of points) {
      node = level.get(point);
      if (!node) level.set(point, (node = { row: -1 }));
      level = node.next ??= new Map();
    }
    (node as GramNode).row = row;
  }
  return root;
}

/**
 * The rows of the character 1–3-grams of `text` (as forEachGram reads them: within runs between
 * spaces), each passed to `take` once per occurrence, by walking the trie from each character.
 */
function forEachGramRow(text: string, root: ReadonlyMap<number, GramNode>, take: (row: number) => void): void {
  const SPACE = 0x20;
  const width = (point: number): number => (point > 0xffff ? 2 : 1);
  for (let i = 0; i < text.length; ) {
    const a = text.codePointAt(i) as number;
    const j = i + width(a);
    i = j;
    const one = a === SPACE ? undefined : root.get(a);
    if (!one) continue;
    if (one.row >= 0) take(one.row);
    if (j >= text.length) continue;
    const b = text.codePointAt(j) as number;
    const two = b === SPACE ? undefined : one.next?.get(b);
    if (!two) continue;
    if (two.row >= 0) take(two.row);
    const k = j + width(b);
    if (k >= text.length) continue;
    const c = text.codePointAt(k) as number;
    const three = c === SPACE ? undefined : two.next?.get(c);
    if (three && three.row >= 0) take(three.row);
  }
}

export function loadModel(file: ModelFile): RoutingModel {
  const index = new Map(file.vocabulary.map((f, i) => [f, i]));
  // Character n-grams are most of the features and most of the cost.
  const grams = gramTrie(index);
  // Which rows this call has counted already: a stamp per row, so no set is built per call.
  const seen = new Uint32Array(file.vocabulary.length);
  let stamp = 0;
  const width = file.classes.length + 1;
  const w = new Int8Array(Buffer.from(file.weights, 'base64'));
  if (w.length !== file.vocabulary.length * width) throw new Error('routing model: weights do not match the vocabulary');
  return {
    thresholds: file.thresholds,
    ...(file.lead ? { lead: file.lead } : {}),
    predict(text, input = featureInput(text)) {
      // Each known feature once (as training reads them), its weights summed as integers and
      // scaled once: 1/√n so long and short texts give logits of one size.
      stamp = stamp === 0xffffffff ? 1 : stamp + 1;
      if (stamp === 1) seen.fill(0);
      const sums = new Int32Array(width);
      let known = 0;
      const count = (row: number | undefined): void => {
        if (row === undefined || seen[row] === stamp) return;
        seen[row] = stamp;
        known++;
        const base = row * width;
        for (let k = 0; k < width; k++) sums[k] = (sums[k] as number) + (w[base + k] as number);
      };
      forEachGramRow(gramText(input), grams, count);
      forEachWordFeature(input, (f) => count(index.get(f)));
      const norm = known > 0 ? file.scale / Math.sqrt(known) : 0;
      const z = file.bias.map((b, k) => b + (sums[k] as number) * norm);
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
