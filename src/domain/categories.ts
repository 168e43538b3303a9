import { z } from 'zod';

/** Assistance category codes from the domain reference; used verbatim in data and APIs. */
export const CATEGORY_CODES = [
  'minimum_living',
  'extreme_poverty',
  'temporary',
  'disaster',
  'medical',
  'education',
  'housing',
  'employment',
  'disability',
  'child',
  'elderly',
  'worker',
  'legal_aid',
  'vagrant',
  'youth',
  'women',
  'judicial_aid',
] as const;

export const CategoryCode = z.enum(CATEGORY_CODES);
export type CategoryCode = z.infer<typeof CategoryCode>;

/** Intents that are not assistance categories. */
export const INTENTS = ['emergency', 'application', 'progress', 'enquiry', 'human', 'complaint'] as const;
export const Intent = z.enum(INTENTS);
export type Intent = z.infer<typeof Intent>;
