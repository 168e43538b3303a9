import type { CategoryCode } from '../domain/categories.js';
import { analyse } from './analyse.js';
import { shippedModel, type Prediction, type RoutingModel } from './model/model.js';
import type { CategoryMatch, Classification } from './types.js';
import { urgencyOf } from './urgency.js';

/** Below this a category is noise: less than one context word's worth. */
const MIN_SCORE = 1;
/** Secondary needs must carry some weight of their own next to the lead. */
const MIN_SHARE_OF_LEAD = 0.3;
/** A lead scoring below this, or a runner-up this close, is a guess: ask the model. */
const SURE_SCORE = 2;
const CLOSE_RUNNER_UP = 0.85;

type Tally = { code: CategoryCode; score: number; words: string[]; first: number };

/** Score 0..∞ to 0..1: one programme name (3) gives about 0.78, two strong words about 0.86. */
const confidence = (score: number): number => Math.round((1 - Math.exp(-score / 2)) * 100) / 100;

/**
 * Rules and the learned model together (the floor every configuration stands on; an LLM,
 * when configured, reads the same schema on top). See `combine` for how they are joined.
 */
export function classify(text: string, model: RoutingModel = shippedModel()): Classification {
  return combine(classifyByRules(text), model.predict(text), model.thresholds);
}

/** A model probability as a person reads it. */
const percent = (p: number): string => `${Math.round(p * 100)}%`;

/** Model categories this likely are kept beside the lead as further needs; below it the model alone names no lead. */
const MODEL_ASSIST_P = 0.3;

/**
 * Lead: the category with the best blend of rule confidence and model probability
 * (`blend` is the rules' share, chosen on the dev split). Urgent: the rules found a
 * signal, or the model is at least `urgent` sure. Between `ask` and `urgent` the case is
 * `urgencyUnsure`: a person or a safety question decides, never silence.
 */
export function combine(rules: Classification, prediction: Prediction, thresholds: RoutingModel['thresholds']): Classification {
  const { blend } = thresholds;
  const ruleConf = new Map(rules.categories.map((c) => [c.code, c.confidence]));
  const modelP = new Map(prediction.ranked.map((r) => [r.code, r.p]));
  const scored = prediction.ranked
    .map(({ code, p }) => ({ code, score: blend * (ruleConf.get(code) ?? 0) + (1 - blend) * p }))
    .sort((a, b) => b.score - a.score);
  // With nothing from the rules, a greeting or an off-topic line gets no category rather than the model's best guess.
  const lead = rules.categories.length > 0 || (prediction.ranked[0]?.p ?? 0) >= MODEL_ASSIST_P ? scored[0] : undefined;
  const fromRules = (code: string): CategoryMatch | undefined => rules.categories.find((c) => c.code === code);
  const fromModel = (code: CategoryMatch['code'], p: number): CategoryMatch => ({
    code,
    confidence: Math.round(p * 100) / 100,
    reason: `按所述情况判断（模型把握${percent(p)}）`,
  });
  const categories: CategoryMatch[] = [];
  if (lead) categories.push(fromRules(lead.code) ?? fromModel(lead.code, modelP.get(lead.code) ?? 0));
  for (const c of rules.categories) if (!categories.some((k) => k.code === c.code)) categories.push(c);
  for (const { code, p } of prediction.ranked) {
    if (p >= MODEL_ASSIST_P && !categories.some((k) => k.code === code)) categories.push(fromModel(code, p));
  }

  const p = prediction.urgentP;
  // Where neither reader found a need the model's urgency is a doubt to ask about, not a flag.
  const byModel = !rules.urgent && lead !== undefined && p >= thresholds.urgent;
  const urgent = rules.urgent || byModel;
  const urgentReason = byModel ? `所述情况可能有人正处于危险中（模型把握${percent(p)}），请值班人员核实` : rules.urgentReason;
  const modelLead = prediction.ranked[0];
  return {
    ...rules,
    categories,
    urgent,
    ...(urgentReason !== undefined ? { urgentReason } : {}),
    urgencyUnsure: !urgent && p >= Math.min(thresholds.ask, thresholds.urgent),
    unsure: rules.unsure || modelLead === undefined || modelLead.code !== lead?.code || modelLead.p < 0.5,
  };
}

/**
 * Rules-only classification: each category scores the lexicon words found (negated ones
 * dropped, each word once), ranked highest first, earliest mention breaking ties. Hardship
 * or danger with no named need falls back to temporary assistance. `unsure` marks answers
 * worth a second opinion (classifyWithFallback asks the model then).
 */
export function classifyByRules(text: string): Classification {
  const analysis = analyse(text);
  const urgency = urgencyOf(analysis);

  const tallies = new Map<CategoryCode, Tally>();
  const hardshipWords: string[] = [];
  let hardship = 0;
  for (const hit of analysis.hits) {
    if (hit.polarity === 'negated') continue;
    for (const [code, weight] of hit.term.weights) {
      let tally = tallies.get(code);
      if (!tally) {
        tally = { code, score: 0, words: [], first: hit.start };
        tallies.set(code, tally);
      }
      // A word repeated ("着火了着火了") counts once.
      if (tally.words.includes(hit.word)) continue;
      tally.score += weight;
      tally.words.push(hit.word);
    }
    if (hit.term.hardship > 0 && !hardshipWords.includes(hit.word)) {
      hardship += hit.term.hardship;
      hardshipWords.push(hit.word);
    }
  }

  const ranked = [...tallies.values()].sort((a, b) => b.score - a.score || a.first - b.first);
  const lead = ranked[0];
  const kept = lead ? ranked.filter((t) => t.score >= MIN_SCORE && t.score >= lead.score * MIN_SHARE_OF_LEAD) : [];
  const categories: Classification['categories'] = kept.map((t) => ({
    code: t.code,
    confidence: confidence(t.score),
    reason: `命中: ${t.words.join('、')}`,
  }));

  let fallback = false;
  if (categories.length === 0 && (hardship >= 1 || urgency.urgent)) {
    // Hardship or danger with no named need: temporary assistance is the catch-all (急难型 when urgent).
    fallback = true;
    const why = urgency.urgent ? '紧急情况先按急难型临时救助' : '描述了困难但没有具体类别';
    const words = hardshipWords.length > 0 ? `（命中: ${hardshipWords.join('、')}）` : '';
    categories.push({ code: 'temporary', confidence: confidence(Math.max(hardship, 1)), reason: `兜底: ${why}${words}` });
  }

  const top = kept[0];
  const second = kept[1];
  const unsure = fallback || !top || top.score < SURE_SCORE || (second !== undefined && second.score >= top.score * CLOSE_RUNNER_UP);

  return {
    categories,
    urgent: urgency.urgent,
    ...(urgency.reason !== undefined ? { urgentReason: urgency.reason } : {}),
    lifeDanger: urgency.lifeDanger,
    mentalHealth: urgency.mentalHealth,
    source: 'rules',
    unsure,
  };
}
