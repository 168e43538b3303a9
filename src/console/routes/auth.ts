import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { SESSION_COOKIE, staffByToken, tokenPolicyOf } from '../../http/auth.js';
import type { StaffPrincipal } from '../../staff/principal.js';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { createSignInGuard } from '../../staff/sign-in-guard.js';
import type { ConsoleKit } from '../kit.js';
import { loginPage } from '../views/login.js';
import * as audit from '../../audit/record.js';

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

/** Pages a sign-in may return to: our own console, job dashboard and API docs. */
const RETURNABLE = /^\/(console|admin\/queues|docs)(\/|$|\?)/;

/**
 * Where to go after signing in: absent means the role's home page. Anything but one of our own pages, as a plain
 * path, is refused with 400 rather than quietly dropped: another site (`//evil.example`, `https://…`, `/\evil`),
 * control characters (a CR/LF would split the Location header), or a path outside the console.
 */
export function safeNext(next: unknown): string | undefined {
  if (next === undefined || next === '') return undefined;
  const ok =
    typeof next === 'string' &&
    next.length <= 2000 &&
    /^[\x21-\x7e]+$/.test(next) &&
    !next.includes('\\') &&
    !next.startsWith('//') &&
    RETURNABLE.test(next) &&
    new URL(next, 'http://hotline.invalid').origin === 'http://hotline.invalid';
  if (!ok) throw new AppError('bad_next', '登录后的跳转地址无效，只能回到本系统的页面 / `next` must be a page of this console', 400);
  return next;
}

export function registerAuthPages(scope: FastifyInstance, side: Pick<StaffSide, 'deps' | 'sessions'>, kit: ConsoleKit, cookie: { secure: boolean }): void {
  const { deps, sessions } = side;
  scope.get<{ Querystring: { next?: string } }>('/login', async (req, reply) => kit.send(reply, loginPage(kit.ctx(req, reply), safeNext(req.query.next) ?? '')));

  const guard = createSignInGuard(deps.redis, deps.config.redis.prefix);
  const policy = tokenPolicyOf(deps);
  scope.post<{ Body: { token?: string; next?: string } }>('/login', async (req, reply) => {
    const next = safeNext(req.body?.next);
    await guard.check(req.ip);
    const staff = req.body?.token ? await staffByToken(deps.db, req.body.token, policy) : undefined;
    if (!staff) {
      await guard.failed(req.ip);
      req.log.warn({ security: 'console_sign_in_refused', ip: req.ip }, 'console sign-in refused: unknown or inactive token');
      return kit.send(reply, loginPage(kit.ctx(req, reply, { error: '登录令牌无效或已停用，或已过期。请核对后重新输入，或联系管理员重新生成。' }), next ?? ''), 401);
    }
    const sessionId = await sessions.start(staff.id);
    reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
    await audit.record(deps.db, { at: deps.now(), actor: { type: 'staff', id: staff.id }, action: 'staff.signed_in', entity: 'staff', entityId: staff.id });
    return reply.redirect(next ?? homeOf(staff), 303);
  });

  scope.post('/logout', async (req, reply) => {
    const sessionId = req.cookies[SESSION_COOKIE];
    if (sessionId) await sessions.end(sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/console/login', 303);
  });

  scope.get('/', async (req, reply) => reply.redirect(homeOf(staffOf(req)), 303));
}
