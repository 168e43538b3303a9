import type { Purpose } from './frame-words.js';
import type { NoNeed } from './purpose.js';
import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';
import type { FeatureInput } from './model/features.js';
import type { SignalKind } from './signals.js';

export const CategoryMatch = z.object({
  code: CategoryCode,
  confidence: z.number().min(0).max(1),
  /** Why, in plain words: the resident's words that named it (提到“住院费”“看不起病”), or the model's confidence. */
  reason: z.string(),
});
export type CategoryMatch = z.infer<typeof CategoryMatch>;

/**
 * What a chat model answered for one text, validated, kept with the classification so staff
 * and audits can see what it said and why. `error` names the kind of failure when it said nothing usable.
 */
export const LlmReading = z.object({
  model: z.string(),
  categories: z.array(CategoryMatch),
  urgent: z.boolean(),
  urgentReason: z.string().optional(),
  lifeDanger: z.boolean(),
  mentalHealth: z.boolean(),
  /** Situations as the model read them (who, what, when, how said), when it gave them. */
  situations: z.array(z.object({ who: z.string(), state: z.string(), time: z.string(), modality: z.string() })).optional(),
  error: z.string().optional(),
});
export type LlmReading = z.infer<typeof LlmReading>;

/** What a case needs. Categories are ranked: the first leads (主办), the rest assist (协办). */
export const Classification = z.object({
  categories: z.array(CategoryMatch),
  urgent: z.boolean(),
  urgentReason: z.string().optional(),
  lifeDanger: z.boolean(),
  mentalHealth: z.boolean(),
  source: z.enum(['rules', 'llm']),
  /** Not flagged, but not clearly safe either: ask the resident a safety question or let a person look. */
  urgencyUnsure: z.boolean().optional(),
  /** The rules could not tell with confidence; a model or a person should look. */
  unsure: z.boolean(),
  /** The chat model's own reading, when one is configured (it is consulted on every case). */
  llm: LlmReading.optional(),
  /**
   * The message asks for no assistance (thanks, a word about the line, an offer to help), said for staff; the
   * categories then name whom it concerns.
   */
  noNeed: z.string().optional(),
  /**
   * The categories the resident chose in the dialog (first chosen first). They lead over what the
   * story's words suggest; `suggested` is the lead the classifier would have given on its own, when
   * it differs, recorded for staff (it also stays among the assisting categories).
   */
  chosen: z.object({ codes: z.array(CategoryCode), suggested: CategoryMatch.optional() }).optional(),
});
export type Classification = z.infer<typeof Classification>;

export const PlannedReferral = z.object({
  category: CategoryCode,
  role: z.enum(['lead', 'assist']),
  unit: z.object({ kind: z.enum(['agency', 'township', 'county_window']), code: z.string() }),
  step: z.enum(['investigate', 'handle', 'notify', 'aid_first']),
});
export type PlannedReferral = z.infer<typeof PlannedReferral>;

// The shapes the classifier (classify.ts), the lead ranker (lead.ts), the model (model/model.ts) and the urgency
// rules (urgency.ts) pass to each other, kept here so those modules import one another in one direction only.

export type Urgency = {
  urgent: boolean;
  /** Plain Mandarin for the duty officer: what was said, about whom, and when. */
  reason?: string;
  signals: SignalKind[];
  lifeDanger: boolean;
  mentalHealth: boolean;
};

/**
 * Urgency with the ask band: not flagged, but not clearly safe either; the dialog asks a safety question.
 * `by`: what raised the flag or the doubt — a situation the rules read (`rules`), or the model's
 * reading of the whole text or of one part of it (`model`, with its confidence), which needs a story to read.
 */
/** `noNeed`: the message asks for no assistance (purpose.ts): thanks, a word about the line, an offer. */
export type Assessment = Urgency & { unsure: boolean; by?: 'rules' | 'model'; modelP?: number; noNeed?: Purpose };

/** The rules' reading of urgency: what holds now, and what is doubtful (for the ask band). */
export type RuleUrgency = Urgency & {
  /** Kinds read but doubtful: in a policy question, retracted, hedged by worry, a cue without its context. */
  doubtful: SignalKind[];
  /** Why they are doubtful, one plain sentence each. */
  doubtReason?: string;
  /** The resident took a danger back in their own words (气话, 别当真), and none holds: the model alone then asks, never flags. */
  setAside?: boolean;
};

export type Prediction = {
  /** Lead-category probabilities, highest first. */
  ranked: { code: CategoryCode; p: number }[];
  urgentP: number;
};

/** The lead ranker's weights (lead.ts), data in model.json. */
export type LeadWeights = Record<string, number>;

/** What the rules read in one text: the classification, the urgency frames, and the analysis the model reuses. */
/** `noNeed`: the message asks for no assistance (purpose.ts). */
export type RulesReading = { classification: Classification; urgency: RuleUrgency; situation: boolean; input: FeatureInput; noNeed?: NoNeed };
