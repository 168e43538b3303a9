import type { CategoryCode } from '../domain/categories.js';
import type { CategoryMatch, Classification } from './types.js';

/**
 * The resident's own choice of help, heard in the dialog (`categoriesHint`: 我想申请低保), over the
 * classifier's reading of the story. A keyword elsewhere in the story (老伴住院 → medical) or the
 * model's guess must not take the lead from what the resident asked for:
 * - `lead` (applications, clues): the first chosen category leads, the other chosen ones assist,
 *   then the classifier's categories in their order. The lead the classifier would have given,
 *   when different, is kept as an assisting category and recorded in `chosen.suggested` for staff.
 * - `assist` (emergencies): the danger decides the lead; the chosen categories join as assisting
 *   ones (temporary assistance, the emergency flow's own default, adds nothing), and stand in
 *   for the lead only when the classifier found nothing at all.
 * Urgency is never touched.
 */

const CHOSEN_REASON = '居民在对话中选择的救助类别';
/** What a chosen category the story did not name gets as confidence: the resident said it, the words did not. */
const CHOSEN_CONFIDENCE = 0.5;

export type ChoiceRole = 'lead' | 'assist';

export function withResidentChoice(cl: Classification, hints: readonly CategoryCode[], role: ChoiceRole): Classification {
  const chosen = [...new Set(hints)];
  if (chosen.length === 0) return cl;
  const heard = new Map(cl.categories.map((c) => [c.code, c]));
  const asChosen = (code: CategoryCode, i: number): CategoryMatch => {
    const match = heard.get(code);
    return match ? { ...match, reason: `${CHOSEN_REASON}；${match.reason}` } : { code, confidence: Math.max(0.1, CHOSEN_CONFIDENCE - i * 0.05), reason: CHOSEN_REASON };
  };

  if (role === 'assist') {
    if (cl.categories.length === 0) return { ...cl, categories: chosen.map(asChosen), chosen: { codes: chosen } };
    const named = chosen.filter((code) => code !== 'temporary');
    const added = named.filter((code) => !heard.has(code)).map((code) => asChosen(code, named.indexOf(code)));
    return { ...cl, categories: [...cl.categories, ...added], ...(named.length > 0 ? { chosen: { codes: named } } : {}) };
  }

  const mine = chosen.map(asChosen);
  const rest = cl.categories.filter((c) => !chosen.includes(c.code));
  const suggested = cl.categories[0];
  const differs = suggested !== undefined && suggested.code !== chosen[0];
  return {
    ...cl,
    categories: [...mine, ...rest],
    chosen: { codes: chosen, ...(differs ? { suggested } : {}) },
    unsure: cl.unsure || differs,
  };
}

/** For staff, one line: "居民选择：低保；按所述情况也可能是：医疗救助（提到“住院”）". Empty when there is nothing to say. */
export function choiceNote(cl: Classification, names: (code: CategoryCode) => string = (c) => c): string {
  if (!cl.chosen) return '';
  const picked = `居民选择：${cl.chosen.codes.map(names).join('、')}`;
  const s = cl.chosen.suggested;
  return s ? `${picked}；按所述情况也可能是：${names(s.code)}（${s.reason}）` : picked;
}
