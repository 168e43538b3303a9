import { analyse, type Analysis } from './analyse.js';
import { describeFindings, findingsByKind, readFrames, type Finding, type Frame, type FrameReading, type Why } from './frames.js';
import { hanCount } from './han.js';
import { shippedModel, type ModelFile, type RoutingModel } from './model/model.js';
import { noNeed as readNoNeed, type NoNeed } from './purpose.js';
import { sentences, storyParts } from './sentences.js';
import { LIFE_DANGER, SIGNAL_ADVICE, SIGNAL_LABEL, type SignalKind } from './signals.js';
import type { Assessment, RuleUrgency, Urgency } from './types.js';

const kindOf = (group: Finding[]): SignalKind => (group[0] as Finding).kind;
const sentence = (group: Finding[], frames: readonly Frame[]): string => describeFindings(group, frames, SIGNAL_LABEL[kindOf(group)], SIGNAL_ADVICE[kindOf(group)]);

/**
 * The resident took back a danger they told (气话, 开玩笑, 别当真): the model's alarm on the rest is asked about. Past and
 * resolved are not enough: long stories tell old troubles beside a danger of today that the model reads.
 */
const SET_ASIDE: ReadonlySet<Why> = new Set(['retracted']);

/** Urgency from situation frames: a state that holds now flags; doubtful readings are kept apart. */
export function ruleUrgency(analysis: Analysis, reading: FrameReading = readFrames(analysis)): RuleUrgency {
  const { frames, findings } = reading;
  const holds = findingsByKind(findings, 'holds');
  const doubtful = findingsByKind(findings, 'doubtful');
  const signals = holds.map(kindOf);
  const doubtReason = doubtful.map((group) => sentence(group, frames)).join('；');
  const doubts = { doubtful: doubtful.map(kindOf), ...(doubtReason !== '' ? { doubtReason } : {}) };
  if (signals.length === 0) {
    const setAside = findings.some((f) => f.why !== undefined && SET_ASIDE.has(f.why));
    return { urgent: false, signals, lifeDanger: false, mentalHealth: false, ...doubts, ...(setAside ? { setAside } : {}) };
  }
  return {
    urgent: true,
    reason: holds.map((group) => sentence(group, frames)).join('；'),
    signals,
    lifeDanger: signals.some((k) => LIFE_DANGER.has(k)),
    mentalHealth: signals.includes('self_harm'),
    ...doubts,
  };
}

/** The Urgency shape alone, without the doubts. */
export function urgencyOf(analysis: Analysis): Urgency {
  const { urgent, reason, signals, lifeDanger, mentalHealth } = ruleUrgency(analysis);
  return { urgent, ...(reason !== undefined ? { reason } : {}), signals, lifeDanger, mentalHealth };
}

/** Rules only (frames, no model): a state that holds now flags. The per-turn check is assessUrgency. */
export function detectUrgency(text: string): Urgency {
  return urgencyOf(analyse(text));
}

const percent = (p: number): string => `${Math.round(p * 100)}%`;

/**
 * Enough said for the model alone to raise or ask: a situation told in a sentence or two, not an
 * answer to a form question ("枣园镇东鲁村", a name, an ID number), where it has nothing to read.
 * No corpus line the model alone had to catch is shorter than 14 characters of Chinese.
 */
const MIN_HAN_FOR_MODEL = 12;

export function hasSituation(analysis: Analysis, rule: RuleUrgency, frames: FrameReading): boolean {
  if (rule.urgent || rule.doubtful.length > 0) return true;
  // A danger word the frames set aside for want of context ("进水了") is a situation to read; a denied one is not.
  if (frames.findings.some((f) => f.why !== 'negated')) return true;
  return hanCount(analysis.text) >= MIN_HAN_FOR_MODEL;
}

/**
 * Whether a situation is told for the model to judge, and whether the message asks for nothing (purpose.ts). One
 * asking for nothing with no danger word, not even one set aside, tells none: a complaint about waiting is no emergency.
 */
export function readSituation(analysis: Analysis, rule: RuleUrgency, frames: FrameReading): { situation: boolean; noNeed?: NoNeed } {
  const none = readNoNeed(analysis, frames);
  const quiet = none !== undefined && frames.findings.every((f) => f.why === 'negated');
  return { situation: !quiet && hasSituation(analysis, rule, frames), ...(none ? { noNeed: none } : {}) };
}

export type Thresholds = Pick<ModelFile['thresholds'], 'urgent' | 'ask' | 'demote' | 'doubt'>;

/**
 * The rules' frames and the learned model vote (thresholds chosen on the dev split):
 * - a state that holds now flags, unless the model is confident (below `demote`) that nothing
 *   is wrong: then the case is asked about instead — demoted, never dropped;
 * - the model alone flags at or above `urgent`, when enough was said;
 * - a doubtful reading (in a policy question, retracted, without its context) is asked about
 *   at or above `doubt`; anything else at or above `ask`.
 * Negated, past, hypothetical, reported and resolved readings never reach here as flags: the
 * frames drop them, and only the model can still raise such a text.
 * `part` gives the story's most urgent part (`mostUrgentPart`); it is read only when the votes
 * before it leave the decision open, as it costs two model readings a sentence.
 */
export function decideUrgency(rule: RuleUrgency, urgentP: number, t: Thresholds, situation: boolean, part?: () => StoryPart | undefined): Assessment {
  const doubts = rule.doubtful;
  const fromDoubts = {
    lifeDanger: doubts.some((k) => LIFE_DANGER.has(k)),
    mentalHealth: doubts.includes('self_harm'),
  };
  if (rule.urgent) {
    const { urgent, reason, signals, lifeDanger, mentalHealth } = rule;
    if (urgentP >= t.demote) return { urgent, ...(reason !== undefined ? { reason } : {}), signals, lifeDanger, mentalHealth, unsure: false, by: 'rules' };
    return {
      urgent: false,
      unsure: true,
      reason: `${reason ?? ''}。但从整段话看不像正在发生（模型把握${percent(urgentP)}），请先问一句确认是否安全`,
      signals,
      lifeDanger: false,
      mentalHealth: false,
      by: 'rules',
    };
  }
  // The resident took back the danger they told: the model's reading of the rest is asked about, unless it is sure.
  if (rule.setAside && situation && urgentP >= t.urgent && urgentP < PART_FLAG) {
    return { urgent: false, unsure: true, reason: `${rule.doubtReason ?? ''}${rule.doubtReason ? '；' : ''}本人说是气话或不是真的，但从整段话看仍可能有危险（模型把握${percent(urgentP)}），请先问一句确认是否安全`, signals: doubts, lifeDanger: false, mentalHealth: false, by: 'model', modelP: urgentP };
  }
  if (situation && urgentP >= t.urgent) {
    const why = [`所述情况可能有人正处于危险中（模型把握${percent(urgentP)}），请值班人员核实`, rule.doubtReason].filter((r) => r !== undefined);
    return { urgent: true, reason: why.join('；'), signals: doubts, ...fromDoubts, unsure: false, by: 'model', modelP: urgentP };
  }
  if (doubts.length > 0 && urgentP >= t.doubt) {
    return { urgent: false, unsure: true, reason: rule.doubtReason ?? '', signals: doubts, lifeDanger: false, mentalHealth: false, by: 'rules' };
  }
  const story = part?.();
  if (story && story.p >= PART_FLAG && !rule.setAside) {
    const why = `其中一段话读来可能有人正处于危险中（模型把握${percent(story.p)}）：“${excerpt(story.text)}”，请值班人员核实`;
    return { urgent: true, reason: why, signals: doubts, ...fromDoubts, unsure: false, by: 'model', modelP: story.p };
  }
  if (story && story.p >= t.urgent) {
    return { urgent: false, unsure: true, reason: `其中一段话是否有人正处于危险中拿不准（模型把握${percent(story.p)}）：“${excerpt(story.text)}”`, signals: [], lifeDanger: false, mentalHealth: false, by: 'model', modelP: story.p };
  }
  if (situation && urgentP >= t.ask) {
    return { urgent: false, unsure: true, reason: `是否有人正处于危险中拿不准（模型把握${percent(urgentP)}）`, signals: [], lifeDanger: false, mentalHealth: false, by: 'model', modelP: urgentP };
  }
  return { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, unsure: false };
}

/**
 * The most urgent part of a long story. The model reads a whole text at once, so one sentence of
 * danger at the end of a long account ("…俺男人在沙发上睡着了，叫了两声也没醒") is outweighed by
 * everything else told; each sentence, alone and with the next one, is read again and the highest
 * reading kept. A part alone flags only at PART_FLAG (chosen on dev and the R7 set: recall on R7's
 * long stories rose with precision unchanged); below it, down to the model's own flag threshold, the
 * dialog asks.
 */
export type StoryPart = { p: number; text: string };
const PART_FLAG = 0.75;
/** Shorter texts are read whole well enough: the dilution this answers needs a long story (and each part costs a reading). */
const MIN_HAN_FOR_PARTS = 40;

/** `analysis`: the whole text's, which the parts' analyses are cut from. */
export function mostUrgentPart(text: string, analysis: Analysis, model: RoutingModel): StoryPart | undefined {
  if (hanCount(text) < MIN_HAN_FOR_PARTS) return undefined;
  const list = sentences(text);
  if (list.length < 2) return undefined;
  let best: StoryPart | undefined;
  for (const part of storyParts(analysis, list)) {
    const p = model.urgentP(part.text, { analysis: part.analysis, frames: readFrames(part.analysis) });
    if (!best || p > best.p) best = { p, text: part.text };
  }
  return best;
}

const EXCERPT_CHARS = 60;
const excerpt = (text: string): string => (text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);

/** Everything one text gives the urgency decision, computed once; the story's most urgent part when asked for (decideUrgency). */
export type UrgencyParts = { analysis: Analysis; frames: FrameReading; rule: RuleUrgency; urgentP: number; situation: boolean; part: () => StoryPart | undefined; noNeed?: NoNeed };

export function urgencyParts(text: string, model: RoutingModel = shippedModel()): UrgencyParts & { prediction: ReturnType<RoutingModel['predict']> } {
  const analysis = analyse(text);
  const frames = readFrames(analysis);
  const rule = ruleUrgency(analysis, frames);
  const prediction = model.predict(text, { analysis, frames });
  const part = () => mostUrgentPart(text, analysis, model);
  return { analysis, frames, rule, urgentP: prediction.urgentP, prediction, part, ...readSituation(analysis, rule, frames) };
}

/**
 * The per-turn urgency check for the dialog: rules (situation frames) and the learned model
 * together, with `unsure` set when the case is in the ask band. Never throws: bad input gets
 * a plain "not urgent, not unsure" answer if anything inside fails.
 */
export function assessUrgency(text: string, model: RoutingModel = shippedModel()): Assessment {
  try {
    const { rule, urgentP, situation, part, noNeed } = urgencyParts(text, model);
    const decided = decideUrgency(rule, urgentP, model.thresholds, situation, part);
    // Never said of a message flagged urgent (as classify does).
    return noNeed && !decided.urgent ? { ...decided, noNeed: noNeed.purpose } : decided;
  } catch {
    // A failure here must not silence a resident: ask rather than guess.
    return { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, unsure: text.trim() !== '' };
  }
}
