import type { UnitReport } from '../reports/reports.js';
import { UNIT_KIND_LABELS } from './labels.js';

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

/**
 * One unit's line as the county compares its units: 按时签收率 and 按时办结率 as shares of the clocks already due or
 * done (work not yet due is no failure: null, shown as "—", until something can be judged), 退单率 as a share of the
 * referrals received, 满意率 among answered follow-ups, and how many missed a deadline. Reports stored before the
 * due counts were kept fall back to the referrals received.
 */
export function unitLine(u: UnitReport) {
  return {
    unitKind: u.unitKind,
    unitKindLabel: UNIT_KIND_LABELS[u.unitKind],
    unitCode: u.unitCode,
    unitName: u.unitName,
    received: u.figures.received,
    signedOnTimeRate: ratio(u.figures.signedOnTime, u.figures.signDue ?? u.figures.received),
    answeredOnTimeRate: ratio(u.figures.answeredOnTime, u.figures.answerDue ?? u.figures.received),
    returnRate: ratio(u.figures.returned, u.figures.received),
    satisfactionRate: u.figures.satisfaction,
    overdue: u.figures.overdue,
  };
}
export type UnitLine = ReturnType<typeof unitLine>;
