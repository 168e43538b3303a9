import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { authenticateSession, tokenPolicyOf } from '../auth.js';
import type { StaffSide } from './context.js';

const BASE = '/admin/queues';

/** The dashboard's own page uses inline styles; it gets a policy of its own, still without inline scripts. */
const DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

/**
 * The BullMQ dashboard for supervisors only, behind the console sign-in: retrying or removing jobs acts on the whole
 * deployment. A browser that is not signed in is sent to the sign-in form; its API calls get 401/403.
 */
export async function registerQueueDashboard(app: FastifyInstance, side: StaffSide): Promise<void> {
  const serverAdapter = new FastifyAdapter().setBasePath(BASE);
  createBullBoard({
    queues: Object.values(side.deps.jobs.queues).map((q) => new BullMQAdapter(q)),
    // @bull-board/fastify pins its own copy of @bull-board/api one patch behind: same shape, separately declared types.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: '后台任务' } },
  });
  await app.register(async (scope) => {
    // Answered here rather than thrown: the dashboard plugin's own error handler would turn any error into a 500.
    scope.addHook('onRequest', async (req, reply) => {
      let refusal: AppError;
      try {
        const staff = await authenticateSession({ db: side.deps.db, sessions: side.sessions, policy: tokenPolicyOf(side.deps) }, req);
        if (staff.role === 'supervisor') return;
        refusal = new AppError('forbidden', '后台任务面板仅限县级督办 / Only supervisors may open the job dashboard', 403);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        refusal = err;
      }
      const page = req.method === 'GET' && !req.url.startsWith(`${BASE}/api/`) && (req.headers.accept ?? '').includes('text/html');
      if (page && refusal.status === 401) return reply.redirect(`/console/login?next=${encodeURIComponent(BASE)}`, 303);
      return reply.status(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
    });
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', DASHBOARD_CSP);
      return payload;
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: BASE });
  });
}
