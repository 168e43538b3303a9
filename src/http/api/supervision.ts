import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listFailedJobs } from '../../staff/failed-jobs.js';
import { unitFigures } from '../../staff/unit-figures.js';
import { listUnitReports, StoredReportsQuery } from '../../staff/unit-reports.js';
import { bearer, jsonSchema } from './schema.js';
import { staffOf, type StaffSide } from './context.js';

const tags = ['supervision'];

/** The county window's view across units. Overdue and supervised referrals are worklist filters (clock, flag). */
export function registerSupervisionRoutes(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  app.get<{ Querystring: { month?: string } }>(
    '/api/v1/supervision/units',
    {
      schema: {
        tags,
        summary: '各单位按时签收率、按时办结率、退单率、满意率、逾期数 / Per-unit figures for a month',
        description: '县级督办 / supervisor',
        querystring: jsonSchema(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/).optional() })),
        security: bearer,
      },
    },
    async (req) => unitFigures(deps, staffOf(req), req.query.month, deps.now()),
  );
  app.get<{ Querystring: StoredReportsQuery }>(
    '/api/v1/supervision/reports',
    {
      schema: {
        tags,
        summary: '已生成的各单位日报、月报，按期倒序 / Stored per-unit daily or monthly reports over a range of periods, newest first',
        description: '县级督办 / supervisor。日报每天 0:05 生成前一天，月报在报表日生成上月 / daily reports are stored after each midnight, monthly ones on the report day',
        querystring: jsonSchema(StoredReportsQuery),
        security: bearer,
      },
    },
    async (req) => listUnitReports(deps, staffOf(req), req.query, deps.now()),
  );
  app.get('/api/v1/supervision/failed-jobs', { schema: { tags, summary: '失败的后台任务及原因 / Failed jobs and their errors', description: '县级督办 / supervisor', security: bearer } }, async (req) =>
    listFailedJobs(deps.jobs.queues, staffOf(req)),
  );
}
