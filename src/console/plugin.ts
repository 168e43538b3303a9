import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { authenticateSession, tokenPolicyOf } from '../http/auth.js';
import { describeNoRoute, describeRequestError } from '../http/request-errors.js';
import type { StaffSide } from '../http/api/context.js';
import { chinese } from './format.js';
import { createConsoleKit, type ConsoleKit } from './kit.js';
import { registerAuthPages } from './routes/auth.js';
import { registerDiscoveryPages } from './routes/discovery.js';
import { registerDutyPages } from './routes/duty.js';
import { registerExportPages } from './routes/exports.js';
import { registerReferralPages } from './routes/referrals.js';
import { registerSupervisePages } from './routes/supervise.js';
import { registerUnitReportPages } from './routes/unit-reports.js';
import { errorPage } from './views/error.js';

/** The static files, read once at start; the stylesheet's and script's hash versions the URLs so browsers may cache them. */
function loadAssets() {
  const read = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  const files = {
    'console.css': { body: read('console.css'), type: 'text/css; charset=utf-8' },
    'console.js': { body: read('console.js'), type: 'text/javascript; charset=utf-8' },
    'favicon.svg': { body: read('favicon.svg'), type: 'image/svg+xml' },
  };
  const version = createHash('sha256').update(files['console.css'].body).update(files['console.js'].body).digest('hex').slice(0, 10);
  return { files, version };
}

/** Pages anyone may open: the sign-in form and the stylesheet and script it uses. */
const PUBLIC = new Set(['/console/login', '/console/assets/:file']);

/** The code an error page carries (on its alert, `data-code`), as the API would answer the same error. */
function codeOf(err: FastifyError | AppError, status: number): string {
  if (err instanceof AppError) return err.code;
  if (status === 404) return 'not_found';
  if (err.code?.startsWith('FST_CSRF')) return 'page_expired';
  if (err.validation) return 'invalid_request';
  return status < 500 ? 'bad_request' : 'internal';
}

/** Errors as pages in plain Chinese, with the way back; a lapsed session goes to the sign-in form and returns. */
function registerErrorPages(scope: FastifyInstance, kit: ConsoleKit): void {
  scope.setErrorHandler(async (err: FastifyError | AppError, req, reply) => {
    // A body the framework would not read (too long, not a form): what to do on the page, with the API's code.
    const refused = err instanceof AppError ? undefined : describeRequestError(err, req);
    const status = refused?.status ?? (err instanceof AppError ? err.status : (err.statusCode ?? 500));
    if (status === 401) return reply.redirect(`/console/login?next=${encodeURIComponent(req.method === 'GET' ? req.url : '/console')}`, 303);
    if (status >= 500) req.log.error({ err }, 'console request failed');
    const message = refused
      ? refused.page
      : status === 404
        ? '没有找到该记录，或它不在您的办理范围内。请从工作清单进入。'
        : err instanceof AppError
          ? chinese(err.message)
        : err.code?.startsWith('FST_CSRF')
          ? '页面已过期或来源不明，为安全起见操作没有执行。请返回、刷新页面后重试。'
          : err.validation
            ? '链接或填写的内容格式不对，请检查后重试。'
            : status < 500
                ? '无法完成操作，请检查后重试。'
                : '系统出了点问题，已记录。请稍后重试；紧急情况请电话联系值班员。';
    const title = status === 404 ? '没有找到' : status === 403 ? '没有权限' : status === 409 ? '无法办理' : status >= 500 ? '系统错误' : '无法完成操作';
    const referer = req.headers.referer ? new URL(req.headers.referer, 'http://x').pathname : undefined;
    const back = referer?.startsWith('/console/') ? referer : undefined;
    return kit.send(reply, errorPage(kit.ctx(req, reply), title, message, back, refused?.code ?? codeOf(err, status)), status);
  });
  scope.setNotFoundHandler(async (req, reply) => {
    // A page address opened the wrong way (a form's address typed or reloaded as a link) says so and leads back.
    const refused = describeNoRoute(req.server, req.method, req.url);
    if (refused.allow) reply.header('allow', refused.allow.join(', '));
    const path = req.url.split('?')[0] ?? req.url;
    const parent = path.slice(0, path.lastIndexOf('/'));
    const back = refused.allow && parent.startsWith('/console/') && req.server.methodsAt(parent).includes('GET') ? parent : undefined;
    const title = refused.allow ? '无法完成操作' : '没有找到';
    return kit.send(reply, errorPage(kit.ctx(req, reply), title, refused.page, back, refused.code), refused.status);
  });
}

/**
 * The staff console under /console: server-rendered Chinese pages over the same domain functions as the API.
 * Signed in by session cookie (not bearer), so every form POST carries a CSRF token.
 */
export async function registerConsole(app: FastifyInstance, side: StaffSide): Promise<void> {
  const assets = loadAssets();
  const kit = createConsoleKit(side, { version: assets.version, stylesheet: assets.files['console.css'].body });
  const secure = side.deps.config.http.publicBaseUrl.startsWith('https://');
  const policy = tokenPolicyOf(side.deps);
  // Browsers ask for /favicon.ico on every page of the site (the job dashboard and the docs too): the console's icon.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(assets.files['favicon.svg'].body),
  );
  await app.register(
    async (scope) => {
      scope.decorateRequest('staff', null);
      scope.addHook('onRequest', async (req) => {
        if (req.routeOptions.url && PUBLIC.has(req.routeOptions.url)) return;
        req.staff = await authenticateSession({ db: side.deps.db, sessions: side.sessions, policy }, req);
      });
      scope.addHook('preHandler', (req, reply, done) => (req.method === 'POST' ? scope.csrfProtection(req, reply, done) : done()));
      registerErrorPages(scope, kit);
      scope.get<{ Params: { file: string } }>('/assets/:file', async (req, reply) => {
        const file = assets.files[req.params.file as keyof typeof assets.files];
        if (!file) throw new AppError('not_found', '没有这个文件 / No such asset', 404);
        return reply.type(file.type).header('cache-control', 'public, max-age=86400').send(file.body);
      });
      registerAuthPages(scope, side, kit, { secure });
      registerDutyPages(scope, side, kit);
      registerReferralPages(scope, side, kit);
      registerSupervisePages(scope, side, kit);
      registerUnitReportPages(scope, side, kit);
      registerDiscoveryPages(scope, side, kit);
      registerExportPages(scope, side, kit);
    },
    { prefix: '/console' },
  );
}
