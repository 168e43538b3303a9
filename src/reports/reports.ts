import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { ReportPeriod, UnitKind } from '../generated/prisma/enums.js';
import { clockSelect, referralClocks } from '../referrals/clock-states.js';
import { countyWindow, resolveUnit, unitOfReferral, type Unit } from '../referrals/units.js';
import { asDateColumn, periodRange, periodStartDate } from './periods.js';

export interface UnitFigures {
  /** Referrals the unit received in the period (merged duplicates not counted). */
  received: number;
  /**
   * Sign-for clocks (签收) that count in the on-time rate: signed, or past their deadline, as of the report. Returned
   * referrals are left out (they count in 退单率). Absent from reports stored before it was counted.
   */
  signDue?: number;
  /** Signed for (签收) by the sign deadline. */
  signedOnTime: number;
  /** Work clocks (转办, 先行救助, 审核审批, 补办手续) that count in the on-time rate: answered, or past due. */
  answerDue?: number;
  /** Answered (反馈) by the handling deadline. */
  answeredOnTime: number;
  /**
   * Referrals that missed a deadline of any kind as of the report (sign-for, work or follow-up): past it and still
   * owed, or done after it.
   */
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

const empty = (): UnitFigures => ({
  received: 0,
  signDue: 0,
  signedOnTime: 0,
  answerDue: 0,
  answeredOnTime: 0,
  overdue: 0,
  returned: 0,
  satisfied: 0,
  notSatisfied: 0,
  satisfaction: null,
});

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
 * received, signed on time and answered on time (each out of the clocks already due or done), overdue (a deadline of
 * any kind missed), returned, satisfaction. A county's month is a few thousand
 * referrals, so rows are counted here.
 */
export async function buildUnitReport(deps: ReportDeps, input: { from: Date; to: Date; asOf?: Date }): Promise<UnitReport[]> {
  const asOf = input.asOf ?? input.to;
  const rows = await deps.db.referral.findMany({
    where: { createdAt: { gte: input.from, lt: input.to }, status: { not: 'merged' } },
    select: { unitKind: true, agencyId: true, townshipId: true, satisfaction: true, ...clockSelect },
  });
  const byUnit = new Map<string, UnitReport>();
  const keyOf = (u: Pick<Unit, 'kind' | 'code'>) => `${u.kind}:${u.code}`;
  for (const u of allUnits(deps.directory)) byUnit.set(keyOf(u), { unitKind: u.kind, unitCode: u.code, unitName: u.name, figures: empty() });
  for (const r of rows) {
    const unit = unitOfReferral(deps.directory, r);
    const f = byUnit.get(keyOf(unit))!.figures;
    f.received += 1;
    // Every clock judged as of the report by the one deadline rule; work not yet due counts in no rate.
    const clocks = referralClocks(r, asOf);
    const returned = r.returnedAt !== null && r.returnedAt <= asOf;
    if (returned) f.returned += 1;
    else {
      for (const c of clocks) {
        if (c.kind === 'follow_up' || !c.counted) continue;
        const onTime = c.done && c.state === 'on_time';
        if (c.kind === 'sign') {
          f.signDue! += 1;
          if (onTime) f.signedOnTime += 1;
        } else {
          f.answerDue! += 1;
          if (onTime) f.answeredOnTime += 1;
        }
      }
    }
    if (clocks.some((c) => c.state === 'overdue' || c.state === 'done_late')) f.overdue += 1;
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
