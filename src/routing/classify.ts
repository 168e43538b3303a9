import type { CategoryCode } from '../domain/categories.js';
import { analyse } from './analyse.js';
import type { Classification } from './types.js';
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
 * Rules-only classification: each category scores the lexicon words found (negated ones
 * dropped, each word once), ranked highest first, earliest mention breaking ties. Hardship
 * or danger with no named need falls back to temporary assistance. `unsure` marks answers
 * worth a second opinion (classifyWithFallback asks the model then).
 */
export function classify(text: string): Classification {
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
