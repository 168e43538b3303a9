import type { CategoryCode } from '../domain/categories.js';
import { analyse, type Analysis } from './analyse.js';
import { readFrames, type FrameReading } from './frames.js';
import { leadRanking } from './lead.js';
import { shippedModel, type RoutingModel } from './model/model.js';
import { ownedNeeds, ownedReason } from './owners.js';
import type { CategoryMatch, Classification, Prediction, RuleUrgency, RulesReading } from './types.js';
import { decideUrgency, mostUrgentPart, readSituation, ruleUrgency, type StoryPart } from './urgency.js';

/** Below this a category is noise: less than one context word's worth. */
const MIN_SCORE = 1;
/** Secondary needs must carry some weight of their own next to the lead. */
const MIN_SHARE_OF_LEAD = 0.3;
/** A lead scoring below this, or a runner-up this close, is a guess: ask the model. */
const SURE_SCORE = 2;
const CLOSE_RUNNER_UP = 0.85;

/** `keys`: the lexicon words counted (a word heard by sound counts as the word it sounds like); `words`: as the resident said them. */
type Tally = { code: CategoryCode; score: number; keys: string[]; words: string[]; first: number; owned: string[] };

/** 提到“住院费”“看不起病”: the resident's own words, quoted. */
const quoted = (words: readonly string[]): string => words.map((w) => `“${w}”`).join('');

/** Score 0..∞ to 0..1: one programme name (3) gives about 0.78, two strong words about 0.86. */
const confidence = (score: number): number => Math.round((1 - Math.exp(-score / 2)) * 100) / 100;

export function readByRules(text: string): RulesReading {
  const analysis = analyse(text);
  const frames = readFrames(analysis);
  const urgency = ruleUrgency(analysis, frames);
  return { classification: categoriesByRules(analysis, urgency, frames), urgency, input: { analysis, frames }, ...readSituation(analysis, urgency, frames) };
}

/**
 * Rules and the learned model together (the floor every configuration stands on; an LLM,
 * when configured, reads the same schema beside it). See `combine` for how they are joined.
 */
export function classify(text: string, model: RoutingModel = shippedModel()): Classification {
  const reading = readByRules(text);
  return combine(reading, model.predict(text, reading.input), model, () => mostUrgentPart(text, reading.input.analysis, model));
}

/** A model probability as a person reads it. */
const percent = (p: number): string => `${Math.round(p * 100)}%`;

/** A category the model heard, with its probability as the reason. */
const fromModel = (code: CategoryMatch['code'], p: number): CategoryMatch => ({
  code,
  confidence: Math.round(p * 100) / 100,
  reason: `按所述情况判断（模型把握${percent(p)}）`,
});

/** Model categories this likely are kept beside the lead as further needs; below it the model alone names no lead. */
const MODEL_ASSIST_P = 0.3;

/** The lead as a blend of rule confidence and model probability (`blend` is the rules' share), for a model file without a lead ranker. */
function blended(rules: Classification, prediction: Prediction, blend: number): { code: CategoryMatch['code'] }[] {
  const ruleConf = new Map(rules.categories.map((c) => [c.code, c.confidence]));
  return prediction.ranked
    .map(({ code, p }) => ({ code, score: blend * (ruleConf.get(code) ?? 0) + (1 - blend) * p }))
    .sort((a, b) => b.score - a.score);
}

/**
 * Lead: chosen by meaning (lead.ts) — how strongly the rules heard each category, how likely the
 * model finds it, and whose need the situation is — with the ranker learned on the training split;
 * a model file without one blends rules and model (`blend`, chosen on dev). A text that names
 * nothing and tells no situation (a greeting, a bare answer) gets no category. Urgency: the frames
 * and the model vote (`decideUrgency`); a case in the ask band is `urgencyUnsure`: a person or a
 * safety question decides, never silence.
 */
export function combine(reading: RulesReading, prediction: Prediction, model: Pick<RoutingModel, 'thresholds' | 'lead'>, part?: () => StoryPart | undefined): Classification {
  const rules = reading.classification;
  const thresholds = model.thresholds;
  const modelP = new Map(prediction.ranked.map((r) => [r.code, r.p]));
  const ranked = model.lead ? leadRanking(reading, prediction, model.lead) : blended(rules, prediction, thresholds.blend);
  const saysSomething = rules.categories.length > 0 || (prediction.ranked[0]?.p ?? 0) >= MODEL_ASSIST_P || (model.lead !== undefined && reading.situation);
  const lead = saysSomething ? ranked[0] : undefined;
  const categories: CategoryMatch[] = [];
  if (lead) categories.push(rules.categories.find((c) => c.code === lead.code) ?? fromModel(lead.code, modelP.get(lead.code) ?? 0));
  for (const c of rules.categories) if (!categories.some((k) => k.code === c.code)) categories.push(c);
  for (const { code, p } of prediction.ranked) {
    if (p >= MODEL_ASSIST_P && !categories.some((k) => k.code === code)) categories.push(fromModel(code, p));
  }

  const urgency = decideUrgency(reading.urgency, prediction.urgentP, thresholds, reading.situation, part);
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
    // Asking for nothing (purpose.ts) is never said of a message flagged urgent: the categories then say whom it
    // concerns (the agency thanked, the one an offer is for), not a need.
    ...(reading.noNeed && !urgency.urgent ? { noNeed: reading.noNeed.reason } : {}),
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

function categoriesByRules(analysis: Analysis, urgency: RuleUrgency, frames: FrameReading): Classification {
  const tallies = new Map<CategoryCode, Tally>();
  const hardshipWords: string[] = [];
  let hardship = 0;
  for (const hit of analysis.hits) {
    if (hit.polarity === 'negated') continue;
    for (const [code, weight] of hit.term.weights) {
      let tally = tallies.get(code);
      if (!tally) {
        tally = { code, score: 0, keys: [], words: [], first: hit.start, owned: [] };
        tallies.set(code, tally);
      }
      // A word repeated ("着火了着火了"), or said once right and once as it sounds (低保, 地保), counts once.
      const key = hit.soundsLike ?? hit.word;
      if (tally.keys.includes(key)) continue;
      tally.score += weight;
      tally.keys.push(key);
      tally.words.push(hit.soundsLike ? `${hit.word}（音近${hit.soundsLike}）` : hit.word);
    }
    if (hit.term.hardship > 0 && !hardshipWords.includes(hit.word)) {
      hardship += hit.term.hardship;
      hardshipWords.push(hit.word);
    }
  }

  // Whose need the situation is (owners.json): a woman beaten, a teenager on a roof, a stranger stranded.
  for (const owned of ownedNeeds(frames)) {
    const { category: code, weight } = owned.owner;
    let tally = tallies.get(code);
    if (!tally) {
      tally = { code, score: 0, keys: [], words: [], first: analysis.text.length, owned: [] };
      tallies.set(code, tally);
    }
    tally.score += weight;
    tally.owned.push(ownedReason(owned));
  }

  const ranked = [...tallies.values()].sort((a, b) => b.score - a.score || a.first - b.first);
  const lead = ranked[0];
  const kept = lead ? ranked.filter((t) => t.score >= MIN_SCORE && t.score >= lead.score * MIN_SHARE_OF_LEAD) : [];
  const categories: Classification['categories'] = kept.map((t) => ({
    code: t.code,
    confidence: confidence(t.score),
    reason: [...(t.words.length > 0 ? [`提到${quoted(t.words)}`] : []), ...t.owned].join('；'),
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
