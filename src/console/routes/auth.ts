import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE, staffByToken, type StaffPrincipal } from '../../http/auth.js';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { createSignInGuard } from '../../staff/sign-in-guard.js';
import type { ConsoleKit } from '../kit.js';
import { loginPage } from '../views/login.js';

/** Where each role starts. */
export function homeOf(staff: StaffPrincipal): string {
  switch (staff.role) {
    case 'supervisor':
      return '/console/supervise';
    case 'duty_officer':
      return '/console/duty';
    default:
      return '/console/referrals';
  }
}

/** Only our own pages are followed after sign-in, never another site. */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(console|admin\/queues|docs)(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : undefined;
}

export function registerAuthPages(scope: FastifyInstance, side: Pick<StaffSide, 'deps' | 'sessions'>, kit: ConsoleKit, cookie: { secure: boolean }): void {
  const { deps, sessions } = side;
  scope.get<{ Querystring: { next?: string } }>('/login', async (req, reply) => kit.send(reply, loginPage(kit.ctx(req, reply), safeNext(req.query.next) ?? '')));

  const guard = createSignInGuard(deps.redis, deps.config.redis.prefix);
  scope.post<{ Body: { token?: string; next?: string } }>('/login', async (req, reply) => {
    await guard.check(req.ip);
    const staff = req.body?.token ? await staffByToken(deps.db, req.body.token) : undefined;
    if (!staff) {
      await guard.failed(req.ip);
      req.log.warn({ security: 'console_sign_in_refused', ip: req.ip }, 'console sign-in refused: unknown or inactive token');
      return kit.send(reply, loginPage(kit.ctx(req, reply, { error: '登录令牌无效或已停用。请核对后重新输入，或联系管理员重新生成。' }), safeNext(req.body?.next) ?? ''), 401);
    }
    const sessionId = await sessions.start(staff.id);
    reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
    await deps.db.auditEvent.create({ data: { at: deps.now(), actorType: 'staff', actorId: staff.id, action: 'staff.signed_in', entity: 'staff', entityId: staff.id } });
    return reply.redirect(safeNext(req.body.next) ?? homeOf(staff), 303);
  });

  scope.post('/logout', async (req, reply) => {
    const sessionId = req.cookies[SESSION_COOKIE];
    if (sessionId) await sessions.end(sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/console/login', 303);
  });

  scope.get('/', async (req, reply) => reply.redirect(homeOf(staffOf(req)), 303));
}
