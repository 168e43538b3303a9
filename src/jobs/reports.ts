import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { UnitKind } from '../generated/prisma/enums.js';
import { countyWindow, resolveUnit, unitOfReferral, type Unit } from '../referrals/units.js';
import { fromDayNumber, toDayNumber } from './clock/isoDate.js';
import { localParts, instantAt } from './clock/zone.js';

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

/** The local month boundaries of `YYYY-MM` in the county's timezone. */
export function monthRange(month: string, tz: string): { from: Date; to: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`not a YYYY-MM month: "${month}"`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return { from: instantAt(`${month}-01`, 0, tz), to: instantAt(`${next}-01`, 0, tz) };
}

/** The month before the one `now` falls in, locally. */
export function previousMonth(now: Date, tz: string): string {
  const { date } = localParts(now, tz);
  return fromDayNumber(toDayNumber(`${date.slice(0, 7)}-01`) - 1).slice(0, 7);
}

/** Builds a month's report and stores one MonthlyReport row per unit (again on a re-run, replacing the figures). */
export async function storeMonthlyReports(deps: ReportDeps, input: { month: string; asOf: Date }): Promise<UnitReport[]> {
  const tz = deps.directory.directory.county.timezone;
  const report = await buildUnitReport(deps, { ...monthRange(input.month, tz), asOf: input.asOf });
  await deps.db.$transaction(
    report.map((u) =>
      deps.db.monthlyReport.upsert({
        where: { month_unitKind_unitCode: { month: input.month, unitKind: u.unitKind, unitCode: u.unitCode } },
        create: { month: input.month, unitKind: u.unitKind, unitCode: u.unitCode, figures: { ...u.figures }, generatedAt: input.asOf },
        update: { figures: { ...u.figures }, generatedAt: input.asOf },
      }),
    ),
  );
  return report;
}
