import { CATEGORY_CODES, type CategoryCode } from '../domain/categories.js';
import { ownedNeeds } from './owners.js';
import { readPersons } from './person.js';
import { SIGNAL_KINDS, type SignalKind } from './signals.js';
import { TRAITS, WHO, type Trait, type Who } from './frame-words.js';
import type { Frame } from './frames.js';
import type { LeadWeights, Prediction, RulesReading } from './types.js';

/**
 * Choosing the lead (主办) among all categories, by meaning: how strongly the rules heard a
 * category named, how likely the model finds it, and whose need the situation is — the traits
 * of the person it is about (young, a woman, from elsewhere), the states that hold or are
 * doubtful (violence, alone, missing…) and who they are about (a child, an elder…), each weighed
 * per category. A small linear ranker (softmax over the categories) whose weights are data in
 * model.json, learned by `npm run train:routing` on the model's out-of-fold predictions for the
 * training split (so it learns how far to trust the model on text it has not seen), never on dev
 * or test.
 */

/** Score 0..∞ the rules gave a category, recovered from its confidence (classify.ts `confidence`). */
const ruleScore = (confidence: number): number => (confidence >= 0.999 ? 14 : -2 * Math.log(1 - confidence));

/** A programme named outright scores 3 (低保, 残疾证, 打官司). */
const NAMED = 3;

export type Candidate = { code: CategoryCode; features: Map<string, number> };

/**
 * What one text tells the ranker: per category the model's log-probability and how the rules
 * heard it, and the context every category is crossed with (traits, situations, who they are about).
 */
type LeadFacts = {
  logp: Float64Array;
  modelTop: number;
  /** Per category heard by the rules: score, and whether it came first, in a request, about the caller. */
  heard: ({ score: number; top: boolean; asked: boolean; own: boolean } | undefined)[];
  fallback: boolean;
  catchAll: boolean;
  owned: boolean[];
  shared: string[];
};

const CODE_INDEX = new Map<CategoryCode, number>(CATEGORY_CODES.map((code, k) => [code, k]));
/** The context names, built once: a few of them are made for every text. */
const TRAIT_CONTEXT = Object.fromEntries(TRAITS.map((t) => [t, `trait:${t}`])) as Record<Trait, string>;
const WHO_CONTEXT = Object.fromEntries(WHO.map((w) => [w, `who:${w}`])) as Record<Who, string>;
const STATE_CONTEXT = Object.fromEntries(SIGNAL_KINDS.map((k) => [k, `state:${k}`])) as Record<SignalKind, string>;
const STATE_TRAIT_CONTEXT = Object.fromEntries(
  SIGNAL_KINDS.map((k) => [k, Object.fromEntries(TRAITS.map((t) => [t, `state:${k}+${t}`]))]),
) as Record<SignalKind, Record<Trait, string>>;
const TEMPORARY = CODE_INDEX.get('temporary') as number;

function readLead(reading: RulesReading, prediction: Prediction): LeadFacts {
  const rules = reading.classification.categories;
  // The rules' fallback (temporary for hardship or danger with no named need) is not a category heard.
  const fallback = rules.length === 1 && rules[0]?.reason.startsWith('兜底') === true;
  const heardList = fallback ? [] : rules;
  const logp = new Float64Array(CATEGORY_CODES.length).fill(Math.log(1e-4));
  for (const r of prediction.ranked) logp[CODE_INDEX.get(r.code) as number] = Math.log(r.p + 1e-4);
  const modelTop = prediction.ranked[0] ? (CODE_INDEX.get(prediction.ranked[0].code) as number) : -1;
  const persons = readPersons(reading.input.frames);
  // Shared by every candidate, crossed with it: the traits, states and who they are about.
  const context: string[] = [];
  for (const t of persons.traits) context.push(TRAIT_CONTEXT[t]);
  for (const s of persons.situations) {
    context.push(STATE_CONTEXT[s.kind]);
    if (s.who) context.push(WHO_CONTEXT[s.who]);
    for (const t of s.traits) context.push(STATE_TRAIT_CONTEXT[s.kind][t]);
  }
  // Where each category was heard: in a clause asking for something (the main need) or about the
  // caller (their own need), rather than only in a circumstance told about someone else.
  const frames = reading.input.frames.frames;
  const asked = new Set<CategoryCode>();
  const own = new Set<CategoryCode>();
  let fi = 0;
  for (const hit of reading.input.analysis.hits) {
    if (hit.polarity === 'negated') continue;
    while (fi < frames.length && (frames[fi] as Frame).end <= hit.start) fi++;
    const frame = frames[fi];
    if (!frame || hit.start < frame.start) continue;
    const asks = frame.modality.has('request') || frame.modality.has('policy');
    const self = frame.who?.who === 'self';
    if (!asks && !self) continue;
    for (const [code] of hit.term.weights) {
      if (asks) asked.add(code);
      if (self) own.add(code);
    }
  }
  // Temporary assistance is the catch-all: does a specific category own this need (named
  // strongly, or whose-need rules gave it to someone's programme)?
  const owned: boolean[] = new Array(CATEGORY_CODES.length).fill(false);
  for (const o of ownedNeeds(reading.input.frames)) owned[CODE_INDEX.get(o.owner.category) as number] = true;
  const heard: LeadFacts['heard'] = new Array(CATEGORY_CODES.length).fill(undefined);
  let catchAll = false;
  heardList.forEach((c, i) => {
    const k = CODE_INDEX.get(c.code) as number;
    const score = ruleScore(c.confidence);
    heard[k] = { score, top: i === 0, asked: asked.has(c.code), own: own.has(c.code) };
    if (k !== TEMPORARY && (owned[k] || score >= 2)) catchAll = true;
  });
  if (heardList.length === 0) context.push('unheard');
  if (reading.urgency.urgent) context.push('urgent');
  return { logp, modelTop, heard, fallback, catchAll, owned, shared: [...new Set(context)] };
}

/** The named features one category has of its own (not its prior nor the crossed context). */
function ownFeatures(f: LeadFacts, k: number): [string, number][] {
  const out: [string, number][] = [['logp', f.logp[k] as number]];
  if (f.modelTop === k) out.push(['modelTop', 1]);
  const h = f.heard[k];
  if (h) {
    out.push(['rule', Math.min(h.score, 6)]);
    if (h.top) out.push(['ruleTop', 1]);
    if (h.score >= NAMED) out.push(['named', 1]);
    if (h.asked) out.push(['asked', 1]);
    if (h.own) out.push(['own', 1]);
  }
  if (f.fallback && k === TEMPORARY) out.push(['fallback', 1]);
  if (f.catchAll && k === TEMPORARY) out.push(['catchAll', 1]);
  if (f.owned[k]) out.push(['owned', 1]);
  return out;
}

/** The features of every category as the lead for one text, by name (`>code` is its prior, `context>code` a crossed one), for training. */
export function leadCandidates(reading: RulesReading, prediction: Prediction): Candidate[] {
  const facts = readLead(reading, prediction);
  return CATEGORY_CODES.map((code, k) => {
    const f = new Map<string, number>(ownFeatures(facts, k));
    f.set(`>${code}`, 1);
    for (const c of facts.shared) f.set(`${c}>${code}`, 1);
    return { code, features: f };
  });
}

const dot = (f: Map<string, number>, w: LeadWeights): number => {
  let z = 0;
  for (const [name, v] of f) z += (w[name] ?? 0) * v;
  return z;
};

const softmaxRanked = (z: readonly number[]): { code: CategoryCode; p: number }[] => {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return CATEGORY_CODES.map((code, i) => ({ code, p: (e[i] as number) / sum })).sort((a, b) => b.p - a.p);
};

/** Categories ranked as the lead from named features (as training sees them), best first, with their share of the softmax. */
export function rankLead(candidates: readonly Candidate[], w: LeadWeights): { code: CategoryCode; p: number }[] {
  const byCode = new Map(candidates.map((c) => [c.code, dot(c.features, w)]));
  return softmaxRanked(CATEGORY_CODES.map((code) => byCode.get(code) ?? 0));
}

/** Weights laid out per category, so ranking a text builds no feature names. */
type CompiledWeights = { own: Record<string, number>; prior: Float64Array; crossed: Map<string, Float64Array> };
const compiledWeights = new WeakMap<LeadWeights, CompiledWeights>();

function compileWeights(w: LeadWeights): CompiledWeights {
  let c = compiledWeights.get(w);
  if (c) return c;
  c = { own: {}, prior: new Float64Array(CATEGORY_CODES.length), crossed: new Map() };
  for (const [name, v] of Object.entries(w)) {
    const cut = name.lastIndexOf('>');
    if (cut < 0) {
      c.own[name] = v;
      continue;
    }
    const k = CODE_INDEX.get(name.slice(cut + 1) as CategoryCode);
    if (k === undefined) continue;
    const context = name.slice(0, cut);
    if (context === '') c.prior[k] = v;
    else {
      let row = c.crossed.get(context);
      if (!row) c.crossed.set(context, (row = new Float64Array(CATEGORY_CODES.length)));
      row[k] = v;
    }
  }
  compiledWeights.set(w, c);
  return c;
}

/** The lead ranking of one text: the same scores as `rankLead` over `leadCandidates`, without building them. */
export function leadRanking(reading: RulesReading, prediction: Prediction, w: LeadWeights): { code: CategoryCode; p: number }[] {
  const f = readLead(reading, prediction);
  const c = compileWeights(w);
  const o = c.own;
  const z = Array.from(c.prior);
  for (const ctx of f.shared) {
    const row = c.crossed.get(ctx);
    if (row) for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) + (row[k] as number);
  }
  for (let k = 0; k < z.length; k++) {
    let v = (o.logp ?? 0) * (f.logp[k] as number);
    if (f.modelTop === k) v += o.modelTop ?? 0;
    const h = f.heard[k];
    if (h) {
      v += (o.rule ?? 0) * Math.min(h.score, 6);
      if (h.top) v += o.ruleTop ?? 0;
      if (h.score >= NAMED) v += o.named ?? 0;
      if (h.asked) v += o.asked ?? 0;
      if (h.own) v += o.own ?? 0;
    }
    if (k === TEMPORARY) v += (f.fallback ? (o.fallback ?? 0) : 0) + (f.catchAll ? (o.catchAll ?? 0) : 0);
    if (f.owned[k]) v += o.owned ?? 0;
    z[k] = (z[k] as number) + v;
  }
  return softmaxRanked(z);
}

export type LeadExample = { candidates: Candidate[]; gold: CategoryCode };

/** `l2` shrinks the per-category weights (priors and crossed context), `baseL2` the few shared ones (logp, rule…). */
export type LeadTrainOptions = { iterations: number; learningRate: number; l2: number; baseL2: number };
export const LEAD_DEFAULTS: LeadTrainOptions = { iterations: 400, learningRate: 0.5, l2: 0.03, baseL2: 0.001 };

/**
 * Fits the ranker by full-batch gradient descent on the softmax loss with L2 (the model's own
 * `logp` is shrunk towards 1, the model as it is, not towards 0). Deterministic.
 */
export function trainLead(examples: readonly LeadExample[], opts: LeadTrainOptions = LEAD_DEFAULTS): LeadWeights {
  const names = new Map<string, number>();
  const rows = examples.map((ex) => ({
    gold: ex.candidates.findIndex((c) => c.code === ex.gold),
    cands: ex.candidates.map((c) =>
      [...c.features].map(([name, v]) => {
        let i = names.get(name);
        if (i === undefined) names.set(name, (i = names.size));
        return [i, v] as const;
      }),
    ),
  }));
  const w = new Float64Array(names.size);
  const shrink = new Float64Array(names.size);
  for (const [name, i] of names) shrink[i] = name.includes('>') ? opts.l2 : opts.baseL2;
  const logp = names.get('logp');
  if (logp !== undefined) w[logp] = 1;
  const n = Math.max(1, rows.length);
  for (let it = 0; it < opts.iterations; it++) {
    const g = new Float64Array(names.size);
    for (const row of rows) {
      if (row.gold < 0) continue;
      const z = row.cands.map((fs) => fs.reduce((a, [i, v]) => a + (w[i] as number) * v, 0));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      row.cands.forEach((fs, k) => {
        const d = (e[k] as number) / sum - (k === row.gold ? 1 : 0);
        if (Math.abs(d) < 1e-9) return;
        for (const [i, v] of fs) g[i] = (g[i] as number) + d * v;
      });
    }
    for (let i = 0; i < w.length; i++) {
      const prior = i === logp ? 1 : 0;
      w[i] = (w[i] as number) - opts.learningRate * ((g[i] as number) / n + (shrink[i] as number) * ((w[i] as number) - prior));
    }
  }
  const out: LeadWeights = {};
  for (const [name, i] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
    const v = Math.round((w[i] as number) * 1000) / 1000;
    if (v !== 0) out[name] = v;
  }
  return out;
}
