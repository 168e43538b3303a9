import { hkdfSync } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/ports.js';
import { registerConsole } from '../console/plugin.js';
import { createMetrics, registerMetrics } from '../metrics.js';
import { registerOpen311Routes } from '../open311/routes.js';
import { createStaffSessions } from '../staff/sessions.js';
import { registerCaseRoutes } from '../http/api/cases.js';
import { requireBearer, type StaffSide } from '../http/api/context.js';
import { registerDiscoveryRoutes } from '../http/api/discovery.js';
import { registerDutyRoutes } from '../http/api/duty.js';
import { registerExportRoutes } from '../http/api/exports.js';
import { registerMeRoute } from '../http/api/me.js';
import { registerQueueDashboard } from '../http/api/queue-dashboard.js';
import { registerReferralRoutes } from '../http/api/referrals.js';
import { registerSupervisionRoutes } from '../http/api/supervision.js';
import { requireToolAccess } from '../http/tool-access.js';
import { csrfUserInfo, SESSION_COOKIE, tokenPolicyOf } from '../http/auth.js';

/** The cookie-signing key is derived from DATA_KEY, so the deployment keeps one secret. */
const cookieSecret = (deps: AppDeps) => Buffer.from(hkdfSync('sha256', deps.config.dataKey, Buffer.alloc(0), 'hotline/console/cookies/v1', 32)).toString('base64');

/** Only the staff API and Open311 belong in the OpenAPI document; webhooks, console pages and tools stay out. */
const documented = (url: string) => url.startsWith('/api/') || url.startsWith('/open311/');

/**
 * Everything staff use, in one registration: security headers, the staff API (bearer), the console (session
 * cookie + CSRF), Open311, OpenAPI docs at /docs, Prometheus metrics at /metrics and the BullMQ dashboard at
 * /admin/queues.
 */
export async function registerStaffSide(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const side: StaffSide = { deps, sessions: createStaffSessions(deps.redis, deps.config.redis.prefix) };
  const https = deps.config.http.publicBaseUrl.startsWith('https://');

  await app.register(cookie, { secret: cookieSecret(deps) });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Behind plain http (a LAN install) upgrading requests would break every form.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    hsts: https ? { maxAge: 180 * 86_400 } : false,
  });
  // A CSRF token is bound to the console session it was issued in (the HMAC covers the session id): a token taken
  // from one session, or planted with a tossed _csrf cookie, does not work in another.
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: https, signed: true },
    getUserInfo: (req) => csrfUserInfo(req.cookies?.[SESSION_COOKIE]),
    csrfOpts: { hmacKey: Buffer.from(hkdfSync('sha256', deps.config.dataKey, Buffer.alloc(0), 'hotline/console/csrf/v1', 32)) },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: '社会救助热线 · 工作人员接口 / Hotline staff API', version: '1', description: '以 `hotline staff add` 生成的令牌作为 Bearer 令牌调用。范围外的数据一律返回 404。' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    transform: ({ schema, url }) => ({ schema: documented(url) ? schema : { ...schema, hide: true }, url }),
  });
  // /docs and /metrics: staff signed in (session or token), the metrics token, or a listed network; nobody else.
  const toolAccess = { token: deps.config.tools.metricsToken, networks: deps.config.tools.allowFrom };
  const signIns = { db: deps.db, sessions: side.sessions, policy: tokenPolicyOf(deps) };
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiHooks: { onRequest: requireToolAccess(signIns, toolAccess, { signInPage: '/docs' }) } });

  const metrics = createMetrics(deps, deps.jobs.queues);
  registerMetrics(app, metrics, { guard: requireToolAccess(signIns, toolAccess), cacheMs: deps.config.tools.metricsCacheMs });
  registerOpen311Routes(app, deps);
  await app.register(async (api) => {
    requireBearer(api, deps);
    registerMeRoute(api, side);
    registerCaseRoutes(api, side);
    registerDutyRoutes(api, side);
    registerReferralRoutes(api, side);
    registerSupervisionRoutes(api, side);
    registerDiscoveryRoutes(api, side);
    registerExportRoutes(api, side);
  });
  await registerConsole(app, side);
  await registerQueueDashboard(app, side);
}
