import type { FastifyInstance } from 'fastify';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { requireRole } from '../../staff/access.js';
import { calendarNotices } from '../../staff/calendar-notice.js';
import { listFailedJobs } from '../../staff/failed-jobs.js';
import { unitFigures } from '../../staff/unit-figures.js';
import { weeklyTrend } from '../../staff/weekly-trend.js';
import { listReferrals } from '../../staff/worklist.js';
import { given, type ConsoleKit } from '../kit.js';
import { supervisePage } from '../views/supervise.js';

/** Each list on the overview shows its first lines; the worklist filter behind its link shows all. */
const PREVIEW = 10;

export function registerSupervisePages(scope: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>, kit: ConsoleKit): void {
  scope.get<{ Querystring: { month?: string } }>('/supervise', async (req, reply) => {
    const staff = staffOf(req);
    requireRole(staff, ['supervisor'], '督办总览', 'see the supervision overview');
    const now = deps.now();
    const list = (filter: Record<string, string>) => listReferrals(deps, staff, { pageSize: String(PREVIEW), ...filter }, now);
    const [overdue, supervised, extensions, window, figures, failed, calendar, trend] = await Promise.all([
      // Every status that can still owe a clock: a follow-up (回访) is owed after the answer.
      list({ clock: 'overdue', status: 'all' }),
      list({ flag: 'supervised' }),
      list({ flag: 'extension' }),
      list({ unit: 'county_window' }),
      unitFigures(deps, staff, given(req.query.month), now),
      listFailedJobs(deps.jobs.queues, staff),
      calendarNotices({ ...deps, calendar: deps.referrals.calendar }, now),
      weeklyTrend(deps, staff, now),
    ]);
    return kit.send(reply, supervisePage(kit.ctx(req, reply), { overdue, supervised, extensions, window, figures, failed, calendar, trend }));
  });
}
