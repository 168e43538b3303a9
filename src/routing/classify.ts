import type { CategoryCode } from '../domain/categories.js';
import { analyse, type Analysis } from './analyse.js';
import { readFrames } from './frames.js';
import type { FeatureInput } from './model/features.js';
import { shippedModel, type Prediction, type RoutingModel } from './model/model.js';
import type { CategoryMatch, Classification } from './types.js';
import { decideUrgency, hasSituation, ruleUrgency, type RuleUrgency } from './urgency.js';

/** Below this a category is noise: less than one context word's worth. */
const MIN_SCORE = 1;
/** Secondary needs must carry some weight of their own next to the lead. */
const MIN_SHARE_OF_LEAD = 0.3;
/** A lead scoring below this, or a runner-up this close, is a guess: ask the model. */
const SURE_SCORE = 2;
const CLOSE_RUNNER_UP = 0.85;

type Tally = { code: CategoryCode; score: number; words: string[]; first: number };

/** 提到“住院费”“看不起病”: the resident's own words, quoted. */
const quoted = (words: readonly string[]): string => words.map((w) => `“${w}”`).join('');

/** Score 0..∞ to 0..1: one programme name (3) gives about 0.78, two strong words about 0.86. */
const confidence = (score: number): number => Math.round((1 - Math.exp(-score / 2)) * 100) / 100;

/** What the rules read in one text: the classification, the urgency frames, and the analysis the model reuses. */
export type RulesReading = { classification: Classification; urgency: RuleUrgency; situation: boolean; input: FeatureInput };

export function readByRules(text: string): RulesReading {
  const analysis = analyse(text);
  const frames = readFrames(analysis);
  const urgency = ruleUrgency(analysis, frames);
  return { classification: categoriesByRules(analysis, urgency), urgency, situation: hasSituation(analysis, urgency, frames), input: { analysis, frames } };
}

/**
 * Rules and the learned model together (the floor every configuration stands on; an LLM,
 * when configured, reads the same schema beside it). See `combine` for how they are joined.
 */
export function classify(text: string, model: RoutingModel = shippedModel()): Classification {
  const reading = readByRules(text);
  return combine(reading, model.predict(text, reading.input), model.thresholds);
}

/** A model probability as a person reads it. */
const percent = (p: number): string => `${Math.round(p * 100)}%`;

/** Model categories this likely are kept beside the lead as further needs; below it the model alone names no lead. */
const MODEL_ASSIST_P = 0.3;

/**
 * Lead: the category with the best blend of rule confidence and model probability
 * (`blend` is the rules' share, chosen on the dev split). Urgency: the frames and the model
 * vote (`decideUrgency`); a case in the ask band is `urgencyUnsure`: a person or a safety
 * question decides, never silence.
 */
export function combine(reading: RulesReading, prediction: Prediction, thresholds: RoutingModel['thresholds']): Classification {
  const rules = reading.classification;
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

  const urgency = decideUrgency(reading.urgency, prediction.urgentP, thresholds, reading.situation);
  const modelLead = prediction.ranked[0];
  const { urgentReason: _rulesReason, ...rest } = rules;
  return {
    ...rest,
    categories,
    urgent: urgency.urgent,
    ...(urgency.reason !== undefined && urgency.reason !== '' ? { urgentReason: urgency.reason } : {}),
    lifeDanger: urgency.lifeDanger,
    mentalHealth: urgency.mentalHealth,
    urgencyUnsure: urgency.unsure,
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
  return readByRules(text).classification;
}

function categoriesByRules(analysis: Analysis, urgency: RuleUrgency): Classification {

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
    reason: `提到${quoted(t.words)}`,
  }));

  let fallback = false;
  if (categories.length === 0 && (hardship >= 1 || urgency.urgent)) {
    // Hardship or danger with no named need: temporary assistance is the catch-all (急难型 when urgent).
    fallback = true;
    const why = urgency.urgent ? '紧急情况先按急难型临时救助' : '描述了困难但没有具体类别';
    const words = hardshipWords.length > 0 ? `（提到${quoted(hardshipWords)}）` : '';
    categories.push({ code: 'temporary', confidence: confidence(Math.max(hardship, 1)), reason: `兜底：${why}${words}` });
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
