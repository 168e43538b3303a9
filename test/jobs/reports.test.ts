import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodRange, periodStartDate, previousPeriod, shiftPeriod } from '../../src/reports/periods.js';
import { buildUnitReport } from '../../src/reports/reports.js';
import { makeCase, startHarness, type Harness } from './harness.js';

const SH = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
/** A DATE column's value as Prisma reads it. */
const date = (d: string) => new Date(`${d}T00:00:00Z`);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ start: '2026-11-15T05:00:00+08:00' });
  await seed();
});
afterAll(async () => {
  await h?.close();
});

/** A month of referrals written by hand, one per situation the figures distinguish. */
async function seed() {
  const { db, directory } = h.env.deps;
  const c = await makeCase(h);
  let n = 0;
  const referral = (unit: { townshipId?: string; agencyId?: string }, r: Record<string, unknown> & { createdAt: Date; signDueAt: Date; dueAt: Date }) =>
    db.referral.create({
      data: {
        caseId: c.id,
        trackingNumber: `${c.trackingNumber}-${++n}`,
        category: 'minimum_living',
        role: 'lead',
        step: 'handle',
        unitKind: unit.townshipId ? 'township' : 'agency',
        townshipId: unit.townshipId ?? null,
        agencyId: unit.agencyId ?? null,
        status: 'in_progress',
        ...r,
      },
    });
  const zaoyuan = { townshipId: directory.townshipId('zaoyuan')! };
  const yibao = { agencyId: directory.agencyId('yibao')! };
  // A: the first instant of October; on time throughout; satisfied.
  await referral(zaoyuan, { createdAt: at('2026-10-01T00:00:00'), signDueAt: at('2026-10-08T00:00:00'), signedAt: at('2026-10-02T10:00:00'), dueAt: at('2026-11-05T00:00:00'), answeredAt: at('2026-10-20T10:00:00'), status: 'closed', satisfaction: 'satisfied' });
  // B: signed late, answered late; not satisfied.
  await referral(zaoyuan, { createdAt: at('2026-10-12T10:00:00'), signDueAt: at('2026-10-13T10:00:00'), signedAt: at('2026-10-14T10:00:00'), dueAt: at('2026-10-20T10:00:00'), answeredAt: at('2026-10-22T10:00:00'), status: 'closed', satisfaction: 'not_satisfied' });
  // C: signed on time, never answered, deadline passed before the report.
  await referral(zaoyuan, { createdAt: at('2026-10-15T10:00:00'), signDueAt: at('2026-10-16T10:00:00'), signedAt: at('2026-10-15T11:00:00'), dueAt: at('2026-10-25T10:00:00') });
  // D: not signed, deadline still ahead at the report.
  await referral(zaoyuan, { createdAt: at('2026-10-20T10:00:00'), signDueAt: at('2026-10-21T10:00:00'), dueAt: at('2026-11-30T10:00:00'), status: 'dispatched' });
  // E: returned as not theirs: counted as returned, not as overdue.
  await referral(zaoyuan, { createdAt: at('2026-10-09T10:00:00'), signDueAt: at('2026-10-10T10:00:00'), dueAt: at('2026-10-12T10:00:00'), returnedAt: at('2026-10-09T12:00:00'), returnReason: '不属于本镇', status: 'returned' });
  // F: a merged duplicate, and G, H: just outside the month (local time): none counted.
  await referral(zaoyuan, { createdAt: at('2026-10-10T10:00:00'), signDueAt: at('2026-10-11T10:00:00'), dueAt: at('2026-10-12T10:00:00'), status: 'merged' });
  await referral(zaoyuan, { createdAt: at('2026-09-30T23:59:59'), signDueAt: at('2026-10-08T10:00:00'), dueAt: at('2026-10-09T10:00:00') });
  await referral(zaoyuan, { createdAt: at('2026-11-01T00:00:00'), signDueAt: at('2026-11-02T10:00:00'), dueAt: at('2026-11-03T10:00:00') });
  // I: the agency, on time and satisfied.
  await referral(yibao, { createdAt: at('2026-10-05T10:00:00'), signDueAt: at('2026-10-09T10:00:00'), signedAt: at('2026-10-05T15:00:00'), dueAt: at('2026-11-02T10:00:00'), answeredAt: at('2026-10-30T10:00:00'), status: 'closed', satisfaction: 'satisfied' });
}

// Rates count only clocks already due or done (signDue, answerDue): D's handling deadline is still ahead, E was returned.
// Overdue counts a missed deadline of any kind: B (signed and answered late), C (never answered), D (never signed).
const ZAOYUAN = { received: 5, signDue: 4, signedOnTime: 2, answerDue: 3, answeredOnTime: 1, overdue: 3, returned: 1, satisfied: 1, notSatisfied: 1, satisfaction: 0.5 };
const YIBAO = { received: 1, signDue: 1, signedOnTime: 1, answerDue: 1, answeredOnTime: 1, overdue: 0, returned: 0, satisfied: 1, notSatisfied: 0, satisfaction: 1 };

describe('unit report', () => {
  it('counts received, signed and answered on time, overdue, returned and satisfaction per unit', async () => {
    const report = await buildUnitReport(h.env.deps, { ...periodRange('month', '2026-10', SH), asOf: h.clock.now() });
    const byUnit = new Map(report.map((u) => [`${u.unitKind}:${u.unitCode}`, u]));
    expect(byUnit.get('township:zaoyuan')).toMatchObject({ unitName: '枣园镇', figures: ZAOYUAN });
    expect(byUnit.get('agency:yibao')).toMatchObject({ unitName: '区医疗保障局', figures: YIBAO });
    expect(byUnit.get('township:bancheng')!.figures).toEqual({ received: 0, signDue: 0, signedOnTime: 0, answerDue: 0, answeredOnTime: 0, overdue: 0, returned: 0, satisfied: 0, notSatisfied: 0, satisfaction: null });
    expect(report).toHaveLength(1 + 14 + 13); // county window, agencies, townships
  });

  it('is stored for the previous month by the monthly job, and a re-run replaces the figures', async () => {
    const { db } = h.env.deps;
    const run = async () => {
      const job = await h.jobs.queues.maintenance.add('reports.monthly', {});
      for (let i = 0; i < 200 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await job.isCompleted()).toBe(true);
    };
    await run();
    await run();
    const rows = await db.unitReport.findMany({ where: { period: 'month', periodStart: date('2026-10-01') } });
    expect(rows).toHaveLength(28);
    expect(rows.find((r) => r.unitCode === 'zaoyuan')?.figures).toEqual(ZAOYUAN);
    expect(rows.find((r) => r.unitKind === 'agency' && r.unitCode === 'yibao')?.generatedAt).toEqual(h.clock.now());
  });
});

describe('daily report', () => {
  const runDaily = async () => {
    const job = await h.jobs.queues.maintenance.add('reports.daily', {});
    for (let i = 0; i < 200 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await job.isCompleted()).toBe(true);
    return (await h.jobs.queues.maintenance.getJob(job.id!))?.returnvalue as string;
  };

  it('is scheduled every day just after local midnight', async () => {
    expect(await h.jobs.queues.maintenance.getJobScheduler('reports.daily')).toMatchObject({ pattern: '5 0 * * *', tz: SH });
  });

  it('stores the previous local day per unit once, a re-run replacing the figures', async () => {
    const { db } = h.env.deps;
    const before = h.clock.now();
    try {
      // Referral A came in at the first instant of 1 October; G a second before, on 30 September.
      h.clock.set('2026-10-02T00:05:00+08:00');
      expect(await runDaily()).toBe('2026-10-01');
      h.clock.set('2026-10-02T00:06:00+08:00');
      expect(await runDaily()).toBe('2026-10-01');
      const rows = await db.unitReport.findMany({ where: { period: 'day', periodStart: date('2026-10-01') } });
      expect(rows).toHaveLength(28);
      // Judged as of the run: A was signed (2 October 10:00) and answered later, so nothing of it is due or done yet.
      expect(rows.find((r) => r.unitKind === 'township' && r.unitCode === 'zaoyuan')).toMatchObject({
        figures: { received: 1, signDue: 0, signedOnTime: 0, answerDue: 0, answeredOnTime: 0, overdue: 0, returned: 0 },
        generatedAt: h.clock.now(),
      });
      expect(rows.filter((r) => (r.figures as { received: number }).received > 0)).toHaveLength(1);

      h.clock.set('2026-10-01T00:05:00+08:00');
      expect(await runDaily()).toBe('2026-09-30');
      const sept30 = await db.unitReport.findFirstOrThrow({ where: { period: 'day', periodStart: date('2026-09-30'), unitKind: 'township', unitCode: 'zaoyuan' } });
      // Judged as of the run: G's handling deadline (9 October) is still ahead, so it is not overdue yet.
      expect(sept30.figures).toMatchObject({ received: 1, signedOnTime: 0, overdue: 0 });
      // One set of rows per day, however often the job ran for it.
      expect(await db.unitReport.count({ where: { period: 'day', periodStart: { gte: date('2026-10-01'), lt: date('2026-11-01') } } })).toBe(28);
      // The day and the month that both start on 1 October are separate reports: the monthly figures are untouched.
      const october = await db.unitReport.findMany({ where: { period: 'month', periodStart: date('2026-10-01') } });
      expect(october).toHaveLength(28);
      expect(october.find((r) => r.unitKind === 'township' && r.unitCode === 'zaoyuan')?.figures).toEqual(ZAOYUAN);
    } finally {
      h.clock.set(before);
    }
  });
});

describe('report periods', () => {
  it('months run on local month boundaries', () => {
    expect(periodRange('month', '2026-10', SH)).toEqual({ from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') });
    expect(periodRange('month', '2026-12', SH).to).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(previousPeriod('month', new Date('2026-01-01T01:00:00+08:00'), SH)).toBe('2025-12');
    // 2026-11-30T20:00Z is already 1 December in Shanghai.
    expect(previousPeriod('month', new Date('2026-11-30T20:00:00Z'), SH)).toBe('2026-11');
  });

  it('and days on local midnight', () => {
    expect(periodRange('day', '2026-10-01', SH)).toEqual({ from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-01T16:00:00Z') });
    expect(periodRange('day', '2026-12-31', SH).to).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(previousPeriod('day', new Date('2026-01-01T00:05:00+08:00'), SH)).toBe('2025-12-31');
    // 2026-02-28T17:00Z is already 1 March in Shanghai.
    expect(previousPeriod('day', new Date('2026-02-28T17:00:00Z'), SH)).toBe('2026-02-28');
  });

  it('are named by keys of their kind, and step across years', () => {
    expect(periodStartDate('month', '2026-10')).toBe('2026-10-01');
    expect(periodStartDate('day', '2028-02-29')).toBe('2028-02-29');
    for (const [period, key] of [['month', '2026-13'], ['month', '2026-10-01'], ['day', '2026-02-30'], ['day', '2026-10']] as const) {
      expect(() => periodStartDate(period, key)).toThrow(RangeError);
    }
    expect(shiftPeriod('month', '2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('month', '2026-11', 14)).toBe('2028-01');
    expect(shiftPeriod('day', '2026-12-31', 1)).toBe('2027-01-01');
  });
});
