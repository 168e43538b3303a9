import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { sendSheet } from '../../http/api/exports.js';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { latestUnitReport, unitReportFor, unitReportSheet } from '../../staff/unit-reports.js';
import type { ConsoleKit } from '../kit.js';
import { unitReportsPage } from '../views/unit-reports.js';

const ExportParams = z.object({ period: z.enum(['month', 'day']), key: z.string().max(10), format: z.enum(['xlsx', 'csv']) });

/** The stored daily and monthly unit reports (supervisors): the latest of each, and each as a download. */
export function registerUnitReportPages(scope: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>, kit: ConsoleKit): void {
  scope.get('/supervise/reports', async (req, reply) => {
    const staff = staffOf(req);
    const [day, month] = await Promise.all([latestUnitReport(deps, staff, 'day'), latestUnitReport(deps, staff, 'month')]);
    return kit.send(reply, unitReportsPage(kit.ctx(req, reply), { day, month }));
  });
  scope.get<{ Params: { period: string; key: string; format: string } }>('/supervise/reports/:period/:key.:format', async (req, reply) => {
    const p = ExportParams.safeParse(req.params);
    if (!p.success) throw new AppError('not_found', '没有这份报表 / No such report: use /console/supervise/reports/{month|day}/{period}.{xlsx|csv}', 404);
    const { period, key, format } = p.data;
    const report = await unitReportFor(deps, staffOf(req), period, key);
    const names = { ascii: `unit-report-${period}-${key}`, chinese: `单位${report.periodLabel}-${key}` };
    return sendSheet(reply, unitReportSheet(report), names, format, deps.now());
  });
}
