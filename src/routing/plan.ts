import type { CategoryCode, Intent } from '../domain/categories.js';
import type { CountyDirectory } from '../directory/schema.js';
import type { Classification, PlannedReferral } from './types.js';

export type PlanInput = {
  classification: Classification;
  /** Township the resident is registered in or lives in; absent when it could not be determined. */
  townshipCode?: string | null;
  directory: CountyDirectory;
  caseType: Intent;
};

type Unit = PlannedReferral['unit'];

/**
 * Who each referral goes to (domain reference, "Who the referral goes to"):
 * - township-first categories (低保, 特困, 临时救助 in the demo county): the township
 *   investigates and the county agency approves, so two referrals;
 * - emergencies: the township gives aid first, then each agency handles its category;
 * - other categories: the agency handles and the township is told;
 * - a township we cannot determine is replaced by the county window, which dispatches by hand.
 * The top category's handling agency leads; every other referral assists.
 */
export function planReferrals({ classification, townshipCode, directory, caseType }: PlanInput): PlannedReferral[] {
  const window: Unit = { kind: 'county_window', code: directory.county.window.agency };
  const township: Unit =
    townshipCode != null && directory.townships.some((t) => t.code === townshipCode) ? { kind: 'township', code: townshipCode } : window;
  const agencyFor = (code: CategoryCode): Unit => {
    const agency = directory.agencies.find((a) => a.categories.includes(code));
    return agency ? { kind: 'agency', code: agency.code } : window;
  };
  const townshipFirst = new Set(directory.categories.filter((c) => c.townshipFirst).map((c) => c.code));

  const codes = [...new Set(classification.categories.map((c) => c.code))];
  if (codes.length === 0) {
    // Nothing recognised: the window reads the case and dispatches it; temporary assistance is the catch-all.
    return [{ category: 'temporary', role: 'lead', unit: window, step: 'handle' }];
  }

  const out: PlannedReferral[] = [];
  const emergency = caseType === 'emergency';
  if (emergency) {
    // One aid-first task: the township's first aid is 急难型临时救助, and one task per category would pay it twice.
    const category = codes.includes('temporary') ? 'temporary' : (codes[0] as CategoryCode);
    out.push({ category, role: 'assist', unit: township, step: 'aid_first' });
  }
  codes.forEach((code, i) => {
    const first = townshipFirst.has(code);
    if (!emergency && first) out.push({ category: code, role: 'assist', unit: township, step: 'investigate' });
    out.push({ category: code, role: i === 0 ? 'lead' : 'assist', unit: agencyFor(code), step: 'handle' });
    // In an emergency the township already holds the whole case through its aid-first task.
    if (!emergency && !first) out.push({ category: code, role: 'assist', unit: township, step: 'notify' });
  });
  return out;
}
