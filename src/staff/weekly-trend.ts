import type { StaffDeps } from './ports.js';
import type { StaffPrincipal } from './principal.js';
import { buildUnitReport } from '../reports/reports.js';
import { requireRole } from './access.js';
import { addDays, localDate, startOfDate } from './local-dates.js';

/** Weeks the supervisor dashboard's trend covers, this one included. */
export const TREND_WEEKS = 12;

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

export type WeekPoint = {
  /** Monday of the week, local date YYYY-MM-DD. */
  week: string;
  /** Cases opened that week (merged repeats not counted). */
  cases: number;
  /** Referrals dispatched that week. */
  referrals: number;
  /** Shares of the week's clocks already due or done, judged now; null while none is. */
  signedOnTimeRate: number | null;
  answeredOnTimeRate: number | null;
  overdue: number;
};

/**
 * The county's last weeks, Monday to Sunday in the county's time: how many cases came in, and how many of the
 * referrals sent out that week were signed for and answered on time (counted the way the unit figures count them:
 * work not yet due is left out). What the dashboard's trend chart draws.
 */
export async function weeklyTrend(deps: Pick<StaffDeps, 'db' | 'directory'>, staff: StaffPrincipal, now: Date, weeks = TREND_WEEKS): Promise<WeekPoint[]> {
  requireRole(staff, ['supervisor'], '每周趋势', 'see the weekly trend');
  const today = localDate(deps.directory, now);
  // getUTCDay of a plain date is its weekday; Monday starts the week.
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const thisMonday = addDays(today, -weekday);
  const mondays = Array.from({ length: weeks }, (_, i) => addDays(thisMonday, -7 * (weeks - 1 - i)));
  return Promise.all(
    mondays.map(async (week) => {
      const from = startOfDate(deps.directory, week);
      const to = startOfDate(deps.directory, addDays(week, 7));
      const [cases, units] = await Promise.all([
        deps.db.case.count({ where: { createdAt: { gte: from, lt: to }, status: { not: 'merged' } } }),
        buildUnitReport(deps, { from, to, asOf: now }),
      ]);
      const sum = (pick: (f: (typeof units)[number]['figures']) => number) => units.reduce((n, u) => n + pick(u.figures), 0);
      return {
        week,
        cases,
        referrals: sum((f) => f.received),
        signedOnTimeRate: ratio(sum((f) => f.signedOnTime), sum((f) => f.signDue ?? 0)),
        answeredOnTimeRate: ratio(sum((f) => f.answeredOnTime), sum((f) => f.answerDue ?? 0)),
        overdue: sum((f) => f.overdue),
      };
    }),
  );
}
