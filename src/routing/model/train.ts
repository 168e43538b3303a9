import { CATEGORY_CODES, type CategoryCode } from '../../domain/categories.js';
import { features } from './features.js';
import { softmax, type ModelFile } from './model.js';

export type TrainingLine = { text: string; expect: string[]; urgent: boolean };

export type TrainOptions = { epochs: number; learningRate: number; l2: number; minDocs: number; seed: number };

export const TRAIN_DEFAULTS: TrainOptions = { epochs: 30, learningRate: 0.5, l2: 3e-4, minDocs: 2, seed: 7 };

/** A small deterministic generator, so the same corpus always gives the same committed weights. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Multinomial logistic regression for the lead (expect[0]) and a logistic output for
 * urgency, trained jointly by AdaGrad over the same sparse features. Thresholds are
 * the caller's: they are chosen on the dev split, never on the training lines.
 */
export function train(lines: TrainingLine[], thresholds: ModelFile['thresholds'], opts: TrainOptions = TRAIN_DEFAULTS): ModelFile {
  const classes = [...CATEGORY_CODES];
  const classIndex = new Map<string, number>(classes.map((c, i) => [c, i]));
  const docs = lines.map((l) => [...features(l.text)]);
  const docFreq = new Map<string, number>();
  for (const fs of docs) for (const f of fs) docFreq.set(f, (docFreq.get(f) ?? 0) + 1);
  const vocabulary = [...docFreq].filter(([, n]) => n >= opts.minDocs).map(([f]) => f).sort();
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const width = classes.length + 1;
  const w = new Float64Array(vocabulary.length * width);
  const g2 = new Float64Array(vocabulary.length * width).fill(1e-8);
  const bias = new Float64Array(width);
  const bg2 = new Float64Array(width).fill(1e-8);
  const rows = docs.map((fs) => fs.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const random = mulberry32(opts.seed);
  const order = lines.map((_, i) => i);

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const d of order) {
      const line = lines[d] as TrainingLine;
      // A line with no category (a form answer, a greeting) teaches the urgency output only.
      const lead = classIndex.get(line.expect[0] as CategoryCode);
      const r = rows[d] as number[];
      const norm = r.length > 0 ? 1 / Math.sqrt(r.length) : 0;
      const z = Array.from(bias);
      for (const row of r) for (let k = 0; k < width; k++) z[k] = (z[k] as number) + (w[row * width + k] as number) * norm;
      const p = softmax(z.slice(0, classes.length));
      const grad = new Float64Array(width);
      if (lead !== undefined) for (let k = 0; k < classes.length; k++) grad[k] = (p[k] as number) - (k === lead ? 1 : 0);
      grad[width - 1] = 1 / (1 + Math.exp(-(z[width - 1] as number))) - (line.urgent ? 1 : 0);
      for (let k = 0; k < width; k++) {
        const gk = grad[k] as number;
        bg2[k] = (bg2[k] as number) + gk * gk;
        bias[k] = (bias[k] as number) - (opts.learningRate * gk) / Math.sqrt(bg2[k] as number);
        if (gk === 0) continue;
        for (const row of r) {
          const at = row * width + k;
          const g = gk * norm + opts.l2 * (w[at] as number);
          g2[at] = (g2[at] as number) + g * g;
          w[at] = (w[at] as number) - (opts.learningRate * g) / Math.sqrt(g2[at] as number);
        }
      }
    }
  }

  let maxAbs = 1e-9;
  for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs / 127;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / scale);
  return {
    version: 2,
    classes,
    vocabulary,
    weights: Buffer.from(q.buffer).toString('base64'),
    bias: Array.from(bias, (b) => Math.round(b * 1e4) / 1e4),
    scale,
    thresholds,
    trainedOn: { lines: lines.length, at: new Date().toISOString().slice(0, 10) },
  };
}
