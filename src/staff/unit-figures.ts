import type { Deps } from '../composition.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from '../http/auth.js';
import { buildUnitReport, monthRange } from '../jobs/reports.js';
import { requireRole } from './access.js';
import { localDate } from './local-dates.js';
import { UNIT_KIND_LABELS } from './labels.js';

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

/**
 * Per-unit figures for a month, as the county compares its units: 按时签收率, 按时办结率, 退单率, 满意率 and how many
 * are overdue. Counting is the jobs module's monthly report (the same numbers units receive); rates are shares of the
 * referrals received, null when a unit received none.
 */
export async function unitFigures(deps: Pick<Deps, 'db' | 'directory'>, staff: StaffPrincipal, month: string | undefined, now: Date) {
  requireRole(staff, ['supervisor'], '单位考核数据', 'see per-unit figures');
  const m = month ?? localDate(deps.directory, now).slice(0, 7);
  let range: { from: Date; to: Date };
  try {
    range = monthRange(m, deps.directory.directory.county.timezone);
  } catch {
    throw new AppError('invalid_month', `月份格式应为 YYYY-MM，例如 2026-11 / Give the month as YYYY-MM, not "${m}"`, 400);
  }
  const report = await buildUnitReport(deps, { ...range, asOf: now });
  return {
    month: m,
    units: report.map((u) => ({
      unitKind: u.unitKind,
      unitKindLabel: UNIT_KIND_LABELS[u.unitKind],
      unitCode: u.unitCode,
      unitName: u.unitName,
      received: u.figures.received,
      signedOnTimeRate: ratio(u.figures.signedOnTime, u.figures.received),
      answeredOnTimeRate: ratio(u.figures.answeredOnTime, u.figures.received),
      returnRate: ratio(u.figures.returned, u.figures.received),
      satisfactionRate: u.figures.satisfaction,
      overdue: u.figures.overdue,
    })),
  };
}
