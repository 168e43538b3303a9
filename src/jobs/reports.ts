import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { ReportPeriod, UnitKind } from '../generated/prisma/enums.js';
import { countyWindow, resolveUnit, unitOfReferral, type Unit } from '../referrals/units.js';
import { asDateColumn, periodRange, periodStartDate } from './report-periods.js';

export interface UnitFigures {
  /** Referrals the unit received in the period (merged duplicates not counted). */
  received: number;
  /** Signed for (签收) by the sign deadline. */
  signedOnTime: number;
  /** Answered (反馈) by the handling deadline. */
  answeredOnTime: number;
  /** Answered late, or still unanswered with the deadline passed as of the report. */
  overdue: number;
  /** Returned as not the unit's (退回). */
  returned: number;
  /** Follow-ups (回访) answered satisfied / not satisfied, and the share satisfied (null with no answers). */
  satisfied: number;
  notSatisfied: number;
  satisfaction: number | null;
}

export interface UnitReport {
  unitKind: UnitKind;
  unitCode: string;
  unitName: string;
  figures: UnitFigures;
}

type ReportDeps = { db: Db; directory: LoadedDirectory };

const empty = (): UnitFigures => ({ received: 0, signedOnTime: 0, answeredOnTime: 0, overdue: 0, returned: 0, satisfied: 0, notSatisfied: 0, satisfaction: null });

/** Every unit of the directory, so a unit that received nothing shows as such rather than missing. */
function allUnits(directory: LoadedDirectory): Unit[] {
  const d = directory.directory;
  const units = [
    countyWindow(directory),
    ...d.agencies.map((a) => resolveUnit(directory, { kind: 'agency', code: a.code })),
    ...d.townships.map((t) => resolveUnit(directory, { kind: 'township', code: t.code })),
  ];
  return units.filter((u): u is Unit => u !== undefined);
}

/**
 * Figures per unit for the referrals created in [from, to), judged as of `asOf` (default: the end of the period):
 * received, signed on time, answered on time, overdue, returned, satisfaction. A county's month is a few thousand
 * referrals, so rows are counted here.
 */
export async function buildUnitReport(deps: ReportDeps, input: { from: Date; to: Date; asOf?: Date }): Promise<UnitReport[]> {
  const asOf = input.asOf ?? input.to;
  const rows = await deps.db.referral.findMany({
    where: { createdAt: { gte: input.from, lt: input.to }, status: { not: 'merged' } },
    select: {
      unitKind: true,
      agencyId: true,
      townshipId: true,
      signedAt: true,
      signDueAt: true,
      answeredAt: true,
      dueAt: true,
      returnedAt: true,
      satisfaction: true,
    },
  });
  const byUnit = new Map<string, UnitReport>();
  const keyOf = (u: Pick<Unit, 'kind' | 'code'>) => `${u.kind}:${u.code}`;
  for (const u of allUnits(deps.directory)) byUnit.set(keyOf(u), { unitKind: u.kind, unitCode: u.code, unitName: u.name, figures: empty() });
  for (const r of rows) {
    const unit = unitOfReferral(deps.directory, r);
    const f = byUnit.get(keyOf(unit))!.figures;
    f.received += 1;
    if (r.signedAt && r.signedAt <= r.signDueAt) f.signedOnTime += 1;
    if (r.answeredAt && r.answeredAt <= r.dueAt) f.answeredOnTime += 1;
    if (r.returnedAt) f.returned += 1;
    else if (r.answeredAt ? r.answeredAt > r.dueAt : r.dueAt < asOf) f.overdue += 1;
    if (r.satisfaction === 'satisfied') f.satisfied += 1;
    if (r.satisfaction === 'not_satisfied') f.notSatisfied += 1;
  }
  for (const { figures: f } of byUnit.values()) {
    const answers = f.satisfied + f.notSatisfied;
    f.satisfaction = answers > 0 ? Math.round((f.satisfied / answers) * 1000) / 1000 : null;
  }
  return [...byUnit.values()];
}

/**
 * Builds a period's report and stores one UnitReport row per unit under the period's kind and start date, so a
 * re-run for the same period replaces its figures rather than adding rows.
 */
export async function storeUnitReports(deps: ReportDeps, input: { period: ReportPeriod; key: string; asOf: Date }): Promise<UnitReport[]> {
  const range = periodRange(input.period, input.key, deps.directory.directory.county.timezone);
  const periodStart = asDateColumn(periodStartDate(input.period, input.key));
  const report = await buildUnitReport(deps, { ...range, asOf: input.asOf });
  await deps.db.$transaction(
    report.map((u) =>
      deps.db.unitReport.upsert({
        where: { period_periodStart_unitKind_unitCode: { period: input.period, periodStart, unitKind: u.unitKind, unitCode: u.unitCode } },
        create: { period: input.period, periodStart, unitKind: u.unitKind, unitCode: u.unitCode, figures: { ...u.figures }, generatedAt: input.asOf },
        update: { figures: { ...u.figures }, generatedAt: input.asOf },
      }),
    ),
  );
  return report;
}
