import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousPeriod, shiftPeriod } from '../../src/reports/periods.js';
import { storeUnitReports } from '../../src/reports/reports.js';
import { agency, asScraper, buildWorld, makeReferral, township, type World } from './world.js';

/** The stored daily and monthly unit reports, read back through the staff API (supervisors only). */

const SH = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

type Unit = { unitKind: string; unitCode: string; unitName: string; received: number; signedOnTimeRate: number | null; returnRate: number | null; overdue: number; figures: Record<string, number | null> };
type Report = { period: string; key: string; periodStart: string; generatedAt: string; units: Unit[] };
const unit = (r: Report, kind: string, code: string) => r.units.find((u) => u.unitKind === kind && u.unitCode === code)!;

let w: World;
let yesterday: string;
beforeAll(async () => {
  w = await buildWorld();
  const deps = { db: w.env.deps.db, directory: w.env.deps.directory };
  await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: at('2026-10-01T09:00:00') });
  await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: at('2026-10-02T09:00:00') });
  await makeReferral(w, agency('canlian'), { township: 'zaoyuan', at: at('2026-10-02T10:00:00'), planned: { category: 'disability' } });
  const asOf = at('2026-11-15T06:00:00');
  for (const key of ['2026-10-01', '2026-10-02', '2026-10-03']) await storeUnitReports(deps, { period: 'day', key, asOf });
  await storeUnitReports(deps, { period: 'month', key: '2026-10', asOf });
  yesterday = previousPeriod('day', new Date(), SH);
  await storeUnitReports(deps, { period: 'day', key: yesterday, asOf: new Date() });
});
afterAll(async () => {
  await w?.close();
});

describe('stored unit reports', () => {
  it('a supervisor lists the daily reports of a range, newest first, each unit with its rates and counts', async () => {
    const res = await w.api('supervisor', 'GET', '/api/v1/supervision/reports?period=day&from=2026-10-01&to=2026-10-02');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { period: string; from: string; to: string; reports: Report[] };
    expect(body).toMatchObject({ period: 'day', from: '2026-10-01', to: '2026-10-02' });
    expect(body.reports.map((r) => [r.key, r.periodStart])).toEqual([['2026-10-02', '2026-10-02'], ['2026-10-01', '2026-10-01']]);
    const [oct2, oct1] = body.reports as [Report, Report];
    expect(oct1.units).toHaveLength(28);
    expect(oct1.generatedAt).toBe(at('2026-11-15T06:00:00').toISOString());
    // Never signed, and by 15 November past every deadline.
    expect(unit(oct1, 'township', 'zaoyuan')).toMatchObject({ unitName: '枣园镇', received: 1, signedOnTimeRate: 0, returnRate: 0, overdue: 1, figures: { received: 1, signedOnTime: 0, overdue: 1 } });
    expect(unit(oct1, 'agency', 'canlian')).toMatchObject({ received: 0, signedOnTimeRate: null });
    expect(unit(oct2, 'agency', 'canlian')).toMatchObject({ received: 1 });
    // Units in a stable order: the county window, then agencies, then townships.
    expect(oct1.units[0]!.unitKind).toBe('county_window');
    expect(oct1.units.at(-1)!.unitKind).toBe('township');
  });

  it('a month and the day it starts on are separate reports', async () => {
    const res = await w.api('supervisor', 'GET', '/api/v1/supervision/reports?period=month&from=2026-09&to=2026-10');
    const reports = res.json().reports as Report[];
    expect(reports.map((r) => [r.period, r.key, r.periodStart])).toEqual([['month', '2026-10', '2026-10-01']]);
    expect(unit(reports[0]!, 'township', 'zaoyuan')).toMatchObject({ received: 2, overdue: 2 });
  });

  it('without a range: the last month of daily reports up to yesterday', async () => {
    const body = (await w.api('supervisor', 'GET', '/api/v1/supervision/reports?period=day')).json() as { from: string; to: string; reports: Report[] };
    expect(body).toMatchObject({ to: yesterday, from: shiftPeriod('day', yesterday, -30) });
    expect(body.reports[0]!.key).toBe(yesterday);
    expect(body.reports.every((r) => r.key >= body.from && r.key <= body.to)).toBe(true);
  });

  it('a malformed query is refused with what to write instead', async () => {
    const refused = async (query: string) => {
      const res = await w.api('supervisor', 'GET', `/api/v1/supervision/reports${query}`);
      expect(res.statusCode).toBe(400);
      return res.json().error as { code: string; message: string };
    };
    expect(await refused('')).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('period') });
    expect((await refused('?period=week')).code).toBe('invalid_request');
    expect(await refused('?period=day&from=2026-10')).toMatchObject({ code: 'invalid_period', message: expect.stringContaining('YYYY-MM-DD') });
    expect(await refused('?period=month&to=2026-13')).toMatchObject({ code: 'invalid_period', message: expect.stringContaining('YYYY-MM') });
    expect((await refused('?period=day&from=2026-10-03&to=2026-10-01')).code).toBe('invalid_range');
    expect((await refused('?period=day&from=2025-01-01&to=2026-10-01')).code).toBe('range_too_long');
  });

  it('township staff, agency staff and duty officers may not read them: 403', async () => {
    for (const who of ['zaoyuan', 'canlian', 'duty'] as const) {
      const res = await w.api(who, 'GET', '/api/v1/supervision/reports?period=month');
      expect({ who, status: res.statusCode }).toEqual({ who, status: 403 });
      expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('县级督办') });
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await w.env.app.inject({ method: 'GET', url: '/docs/json', headers: asScraper })).json();
    const op = doc.paths['/api/v1/supervision/reports'].get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['from', 'period', 'to']);
  });
});
