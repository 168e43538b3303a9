import type { StaffDeps } from './ports.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { periodRange } from '../reports/periods.js';
import { buildUnitReport } from '../reports/reports.js';
import { requireRole } from './access.js';
import { localDate } from './local-dates.js';
import { unitLine } from './unit-rates.js';

/**
 * Per-unit figures for a month, counted now: 按时签收率, 按时办结率, 退单率, 满意率 and how many are overdue. Counting is
 * the jobs module's report (the same numbers the stored monthly report holds, judged as of now).
 */
export async function unitFigures(deps: Pick<StaffDeps, 'db' | 'directory'>, staff: StaffPrincipal, month: string | undefined, now: Date) {
  requireRole(staff, ['supervisor'], '单位考核数据', 'see per-unit figures');
  const m = month ?? localDate(deps.directory, now).slice(0, 7);
  let range: { from: Date; to: Date };
  try {
    range = periodRange('month', m, deps.directory.directory.county.timezone);
  } catch {
    throw new AppError('invalid_month', `月份格式应为 YYYY-MM，例如 2026-11 / Give the month as YYYY-MM, not "${m}"`, 400);
  }
  const report = await buildUnitReport(deps, { ...range, asOf: now });
  return {
    month: m,
    units: report.map(unitLine),
  };
}
