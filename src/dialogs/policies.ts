import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CATEGORY_CODES, CategoryCode } from '../domain/categories.js';

/**
 * Short policy answers the enquiry flow reads out, one per category. Data, not code:
 * a county edits its own file. Keywords are how residents name the category, which
 * also lets free text ("想申请低保") point to it.
 */
export const PolicyEntry = z
  .object({
    code: CategoryCode,
    /** Name as residents say it. */
    name: z.string().min(1),
    keywords: z.array(z.string().min(1)).min(1),
    who: z.string().min(1),
    bring: z.string().min(1),
    howLong: z.string().min(1),
  })
  .strict();
export type PolicyEntry = z.infer<typeof PolicyEntry>;

export const PolicyData = z
  .object({ county: z.string().min(1), categories: z.array(PolicyEntry) })
  .strict()
  .superRefine((data, ctx) => {
    const codes = data.categories.map((c) => c.code);
    for (const code of CATEGORY_CODES) {
      const n = codes.filter((c) => c === code).length;
      if (n !== 1) ctx.addIssue({ code: 'custom', path: ['categories'], message: `category "${code}" must appear once, found ${n}` });
    }
  });
export type PolicyData = z.infer<typeof PolicyData>;

export async function loadPolicies(path: string): Promise<PolicyData> {
  return PolicyData.parse(JSON.parse(await readFile(path, 'utf8')));
}

/** Categories named in the text, in the order the text names them. */
export function categoriesIn(text: string, policies: PolicyData): CategoryCode[] {
  const hits = policies.categories
    .flatMap((c) => c.keywords.map((k) => ({ code: c.code, k, at: text.indexOf(k) })))
    .filter((h) => h.at >= 0)
    .sort((a, b) => a.at - b.at || b.k.length - a.k.length);
  return [...new Set(hits.map((h) => h.code))];
}

export function policyFor(code: CategoryCode, policies: PolicyData): PolicyEntry {
  const entry = policies.categories.find((c) => c.code === code);
  if (!entry) throw new Error(`no policy for category ${code}`);
  return entry;
}
