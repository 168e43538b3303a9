import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';

export const CategoryMatch = z.object({
  code: CategoryCode,
  confidence: z.number().min(0).max(1),
  /** Which words or rules fired, e.g. "命中: 住院费、看不起病". */
  reason: z.string(),
});
export type CategoryMatch = z.infer<typeof CategoryMatch>;

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
});
export type Classification = z.infer<typeof Classification>;

export const PlannedReferral = z.object({
  category: CategoryCode,
  role: z.enum(['lead', 'assist']),
  unit: z.object({ kind: z.enum(['agency', 'township', 'county_window']), code: z.string() }),
  step: z.enum(['investigate', 'handle', 'notify', 'aid_first']),
});
export type PlannedReferral = z.infer<typeof PlannedReferral>;
