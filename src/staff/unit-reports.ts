import { z } from 'zod';
import type { StaffDeps } from './ports.js';
import { AppError } from '../errors.js';
import type { ReportPeriod, UnitKind } from '../generated/prisma/enums.js';
import type { StaffPrincipal } from './principal.js';
import { asDateColumn, fromDateColumn, periodKeyOf, periodStartDate, previousPeriod, shiftPeriod } from '../reports/periods.js';
import type { UnitFigures } from '../reports/reports.js';
import { resolveUnit } from '../referrals/units.js';
import { requireRole } from './access.js';
import type { Sheet } from './ledgers.js';
import { unitLine } from './unit-rates.js';

/** The reports the jobs stored (日报 after each midnight, 月报 on the report day), read back for supervisors. */

export const PERIOD_LABELS: Record<ReportPeriod, string> = { month: '月报', day: '日报' };
const KEY_FORMAT: Record<ReportPeriod, string> = { month: 'YYYY-MM', day: 'YYYY-MM-DD' };
/** Without a range: the last year of monthly reports, the last month of daily ones. */
const DEFAULT_SPAN: Record<ReportPeriod, number> = { month: 12, day: 31 };
/** A year of days is the longest range one request reads (28 units × 366 rows). */
const MAX_PERIODS = 366;

export const StoredReportsQuery = z.object({
  period: z.enum(['month', 'day']).describe('month 月报 | day 日报'),
  from: z.string().max(10).optional().describe('最早一期（含），月报 YYYY-MM，日报 YYYY-MM-DD / first period, inclusive; default: 12 months or 31 days up to `to`'),
  to: z.string().max(10).optional().describe('最晚一期（含） / last period, inclusive; default: the last complete one'),
});
export type StoredReportsQuery = z.input<typeof StoredReportsQuery>;

type ReadDeps = Pick<StaffDeps, 'db' | 'directory'>;
type Row = { periodStart: Date; unitKind: UnitKind; unitCode: string; figures: unknown; generatedAt: Date };

const KIND_ORDER: Record<UnitKind, number> = { county_window: 0, agency: 1, township: 2 };

const mayRead = (staff: StaffPrincipal) => requireRole(staff, ['supervisor'], '单位报表', 'read the stored unit reports');

/** The start date of a period named by a caller, or a 400 that says which format the period kind takes. */
function startOf(period: ReportPeriod, key: string): string {
  try {
    return periodStartDate(period, key);
  } catch {
    throw new AppError('invalid_period', `${PERIOD_LABELS[period]}的报表期应写作 ${KEY_FORMAT[period]} / Give ${period} periods as ${KEY_FORMAT[period]}, not "${key}"`, 400);
  }
}

/** One period's stored rows as a report: units in a stable order (county window, agencies, townships) with their rates. */
function asReport(deps: ReadDeps, period: ReportPeriod, rows: Row[]) {
  const start = fromDateColumn(rows[0]!.periodStart);
  const units = rows
    .map((r) => {
      const figures = r.figures as UnitFigures;
      // A unit since removed from the directory keeps its figures under its code.
      const unitName = resolveUnit(deps.directory, { kind: r.unitKind, code: r.unitCode })?.name ?? r.unitCode;
      return { ...unitLine({ unitKind: r.unitKind, unitCode: r.unitCode, unitName, figures }), figures };
    })
    .sort((a, b) => KIND_ORDER[a.unitKind] - KIND_ORDER[b.unitKind] || a.unitCode.localeCompare(b.unitCode));
  const generatedAt = new Date(Math.max(...rows.map((r) => r.generatedAt.getTime())));
  return { period, periodLabel: PERIOD_LABELS[period], key: periodKeyOf(period, start), periodStart: start, generatedAt: generatedAt.toISOString(), units };
}
export type StoredReport = ReturnType<typeof asReport>;

/** Stored reports of one kind over a range of periods, newest first; a period with no stored rows is absent. */
export async function listUnitReports(deps: ReadDeps, staff: StaffPrincipal, query: StoredReportsQuery | Record<string, string | undefined>, now: Date) {
  mayRead(staff);
  const parsed = StoredReportsQuery.safeParse(query);
  if (!parsed.success) throw new AppError('invalid_filter', `查询条件有误 / Invalid report query: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 400);
  const { period } = parsed.data;
  const to = parsed.data.to ?? previousPeriod(period, now, deps.directory.directory.county.timezone);
  const toStart = startOf(period, to);
  const from = parsed.data.from ?? shiftPeriod(period, to, 1 - DEFAULT_SPAN[period]);
  const fromStart = startOf(period, from);
  if (fromStart > toStart) throw new AppError('invalid_range', `起始期 ${from} 晚于截止期 ${to} / "from" (${from}) is after "to" (${to}): swap them`, 400);
  if (startOf(period, shiftPeriod(period, from, MAX_PERIODS)) <= toStart) {
    throw new AppError('range_too_long', `一次最多查询 ${MAX_PERIODS} 期 / At most ${MAX_PERIODS} periods per request: narrow "from"/"to"`, 400);
  }
  const rows = await deps.db.unitReport.findMany({
    where: { period, periodStart: { gte: asDateColumn(fromStart), lte: asDateColumn(toStart) } },
    orderBy: { periodStart: 'desc' },
  });
  const byStart = new Map<number, Row[]>();
  for (const r of rows) {
    const group = byStart.get(r.periodStart.getTime());
    if (group) group.push(r);
    else byStart.set(r.periodStart.getTime(), [r]);
  }
  return { period, from, to, reports: [...byStart.values()].map((group) => asReport(deps, period, group)) };
}

/** The most recent stored report of a kind, or null before the first has been generated. */
export async function latestUnitReport(deps: ReadDeps, staff: StaffPrincipal, period: ReportPeriod): Promise<StoredReport | null> {
  mayRead(staff);
  const last = await deps.db.unitReport.findFirst({ where: { period }, orderBy: { periodStart: 'desc' }, select: { periodStart: true } });
  if (!last) return null;
  return asReport(deps, period, await deps.db.unitReport.findMany({ where: { period, periodStart: last.periodStart } }));
}

/** One stored period's report; 404 when none was stored for it. */
export async function unitReportFor(deps: ReadDeps, staff: StaffPrincipal, period: ReportPeriod, key: string): Promise<StoredReport> {
  mayRead(staff);
  const rows = await deps.db.unitReport.findMany({ where: { period, periodStart: asDateColumn(startOf(period, key)) } });
  if (rows.length === 0) throw new AppError('not_found', `没有 ${key} 的${PERIOD_LABELS[period]} / No ${period} report is stored for ${key}; list the stored ones first`, 404);
  return asReport(deps, period, rows);
}

const rate = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
const col = (key: string, header: string, width = 12) => ({ key, header, width });

/** A stored report as a download: one line per unit, rates in percent (blank while nothing of the unit is due or done yet). */
export function unitReportSheet(report: StoredReport): Sheet {
  return {
    title: `单位${report.periodLabel} ${report.key}`,
    columns: [
      col('unit', '单位', 20), col('kind', '类别', 10), col('received', '收件', 8), col('signedOnTimeRate', '按时签收率(%)'), col('answeredOnTimeRate', '按时办结率(%)'),
      col('returnRate', '退单率(%)'), col('satisfactionRate', '满意率(%)'), col('overdue', '逾期', 8), col('returned', '退单', 8), col('satisfied', '满意', 8), col('notSatisfied', '不满意', 8),
    ],
    rows: report.units.map((u) => ({
      unit: u.unitName,
      kind: u.unitKindLabel,
      received: u.received,
      signedOnTimeRate: rate(u.signedOnTimeRate),
      answeredOnTimeRate: rate(u.answeredOnTimeRate),
      returnRate: rate(u.returnRate),
      satisfactionRate: rate(u.satisfactionRate),
      overdue: u.overdue,
      returned: u.figures.returned,
      satisfied: u.figures.satisfied,
      notSatisfied: u.figures.notSatisfied,
    })),
  };
}
