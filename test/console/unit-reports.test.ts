import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUnitReports } from '../../src/reports/reports.js';
import { buildWorld, makeReferral, township, type World } from '../staff/world.js';
import { signIn } from './session.js';

/** The supervisor's page of stored daily and monthly unit reports: read-only, so driven through app.inject. */

const at = (local: string) => new Date(`${local}+08:00`);

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('stored unit reports in the console', () => {
  it('before the jobs have run: says when each report comes', async () => {
    const s = await signIn(w, 'supervisor');
    const page = await s.get('/console/supervise/reports');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('还没有生成日报');
    expect(page.body).toContain('还没有生成月报');
    expect((await s.get('/console/supervise')).body).toContain('href="/console/supervise/reports"');
  });

  it('shows the latest daily and monthly figures per unit, each downloadable as Excel or CSV', async () => {
    const deps = { db: w.env.deps.db, directory: w.env.deps.directory };
    await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: at('2026-10-02T09:00:00') });
    const asOf = at('2026-11-15T06:00:00');
    for (const key of ['2026-10-01', '2026-10-02']) await storeUnitReports(deps, { period: 'day', key, asOf });
    for (const key of ['2026-09', '2026-10']) await storeUnitReports(deps, { period: 'month', key, asOf });

    const s = await signIn(w, 'supervisor');
    const page = (await s.get('/console/supervise/reports')).body;
    expect(page).toContain('最新日报（2026-10-02）');
    expect(page).toContain('最新月报（2026-10）');
    expect(page).toContain('生成于 2026-11-15 06:00');
    for (const th of ['按时签收率', '按时办结率', '退单率', '满意率', '逾期']) expect(page).toContain(`<th scope="col">${th}</th>`);
    // 枣园镇: nothing signed on time, one overdue.
    expect(page).toMatch(/枣园镇 <span class="small muted">镇街<\/span><\/td><td data-label="收件">1<\/td><td data-label="按时签收率">0\.0%<\/td>.*?<span class="badge clock-overdue">1<\/span>/);
    expect(page).toContain('href="/console/supervise/reports/day/2026-10-02.xlsx"');
    expect(page).toContain('href="/console/supervise/reports/month/2026-10.csv"');

    const csv = await s.get('/console/supervise/reports/month/2026-10.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('单位月报-2026-10.csv')}`);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('单位,类别,收件,按时签收率(%),按时办结率(%),退单率(%),满意率(%),逾期,退单,满意,不满意');
    expect(lines).toContain('枣园镇,镇街,1,0,0,0,,1,0,0,0');
    expect(lines).toHaveLength(1 + 28);

    const xlsx = await w.env.app.inject({ method: 'GET', url: '/console/supervise/reports/day/2026-10-02.xlsx', headers: { cookie: `hotline_staff=${s.cookies.hotline_staff}` } });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.name).toBe('单位日报 2026-10-02');
    expect(wb.worksheets[0]!.rowCount).toBe(1 + 28);

    // A period the jobs never stored, and a malformed one: not found.
    expect((await s.get('/console/supervise/reports/day/2026-10-05.csv')).statusCode).toBe(404);
    expect((await s.get('/console/supervise/reports/week/2026-10.csv')).statusCode).toBe(404);
  });

  it('township and agency staff are refused the page and the downloads', async () => {
    for (const who of ['zaoyuan', 'canlian'] as const) {
      const s = await signIn(w, who);
      const page = await s.get('/console/supervise/reports');
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('没有权限');
      expect((await s.get('/console/supervise/reports/month/2026-10.csv')).statusCode).toBe(403);
    }
  });
});
