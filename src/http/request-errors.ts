import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Requests refused before any route runs, told in Chinese with a stable code: a body that is not JSON, empty, of a
 * type the service does not take, too large or cut short; an address with no route, or with no route for this method.
 * Each has two Chinese wordings: `api` for a program's author (names the header or format to send) and `page` for a
 * staff member in the console (what to do on the page). `english` is fastify's own words, kept after " / " in the API.
 */
export type RequestRefusal = { status: number; code: string; api: string; page: string; english: string; allow?: string[] };

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods some route answers at this concrete path (`/console/referrals/2612…/sign` → POST): [] when none. */
    methodsAt(path: string): string[];
  }
}

const KB = (bytes: number) => Math.max(1, Math.round(bytes / 1024));
const clip = (s: string, max = 60) => (s.length > max ? `${s.slice(0, max)}…` : s);

/** A find-my-way route path (`/exports/:ledger.:format`, `/docs/*`, `::` for a literal colon) as a RegExp over concrete paths. */
export function routePattern(url: string): RegExp {
  let re = '';
  for (let i = 0; i < url.length; ) {
    const c = url[i]!;
    if (c === ':' && url[i + 1] === ':') {
      re += ':';
      i += 2;
    } else if (c === ':') {
      i++;
      while (i < url.length && /[\w$]/.test(url[i]!)) i++;
      // A parameter's own regex, `:id(^\\d+)`: any value of the segment will do to tell that the path has a route.
      if (url[i] === '(') {
        for (let depth = 0; i < url.length; i++) {
          if (url[i] === '(') depth++;
          else if (url[i] === ')' && --depth === 0) break;
        }
        i++;
      }
      re += '[^/]+?';
    } else if (c === '*') {
      re += '.*';
      i++;
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${re}$`);
}

/** Keeps every route's path and methods as it is registered, so a 404 can tell "no such address" from "not this method". */
export function trackRouteMethods(app: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    routes.push({ pattern: routePattern(route.url), methods: ([] as string[]).concat(route.method) });
  });
  app.decorate('methodsAt', (path: string) => [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort());
}

/** No route for this method and path: 405 when the path has routes for other methods, else 404. */
export function describeNoRoute(app: FastifyInstance, method: string, url: string): RequestRefusal {
  const path = url.split('?')[0] ?? url;
  const shown = clip(path);
  const allow = app.methodsAt(path);
  if (allow.length > 0) {
    const usable = allow.filter((m) => m !== 'HEAD').join('、');
    return {
      status: 405,
      code: 'method_not_allowed',
      allow,
      api: `这个地址不接受 ${method} 请求：${shown} 只能用 ${usable} 调用。请改用正确的方法；各接口的方法见 /docs`,
      page: allow.includes('GET') ? '这个页面不能这样提交。请刷新页面，用页面上的按钮操作。' : '这个地址用于提交页面上的操作，不能直接打开。请回到原来的页面，用页面上的按钮办理。',
      english: `Method ${method} is not allowed on ${path}: use ${allow.join(', ')}`,
    };
  }
  return {
    status: 404,
    code: 'not_found',
    api: path.startsWith('/api/')
      ? `没有这个接口：${method} ${shown}。请核对地址（接口都以 /api/v1/ 开头）；接口列表见 /docs`
      : `没有这个地址：${method} ${shown}。工作人员请从 /console 进入；接口在 /api/v1/ 下`,
    page: '没有这个页面。请从导航进入。',
    english: `No route ${method} ${path}`,
  };
}

/**
 * The framework's own refusals of a request (fastify's FST_ERR_CTP_* and FST_ERR_BAD_URL codes, and a parser's
 * error marked 4xx), told in Chinese; undefined for an error that is not one of them.
 */
export function describeRequestError(err: FastifyError, req: FastifyRequest): RequestRefusal | undefined {
  const english = err.message;
  const type = clip(String(req.headers['content-type'] ?? '').split(';')[0]!.trim() || '未注明', 40);
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        code: 'invalid_json',
        api: '请求体不是有效的 JSON，没有办理。请检查引号、逗号和括号是否成对、是否用了中文标点，改正后重新提交',
        page: '提交的内容无法读取，没有保存。请刷新页面，重新填写后提交。',
        english,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        code: 'empty_body',
        api: '请求体是空的，没有办理：声明了 Content-Type: application/json 就要附上 JSON 内容；没有内容要发送时请去掉这个请求头',
        page: '提交的内容是空的，没有保存。请刷新页面，重新填写后提交。',
        english,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'unsupported_media_type',
        api: `不接受这种内容类型（${type}），没有办理。请以 JSON 发送，并注明请求头 Content-Type: application/json`,
        page: '提交的内容格式不对，没有保存。请刷新页面，用页面上的表单重新提交。',
        english: `${english}: ${type}`,
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const kb = KB(req.routeOptions.bodyLimit ?? 0);
      return {
        status: 413,
        code: 'body_too_large',
        api: `请求内容太大，没有办理：最多 ${kb} KB。请删减后重新提交；材料、照片请另行报送`,
        // Staff do not count kilobytes: a form this long is tens of thousands of characters.
        page: '提交的内容太长，没有保存。请删减文字后重新提交；材料、照片请另行报送。',
        english,
      };
    }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'incomplete_body',
        api: '收到的请求内容与 Content-Length 声明的长度不符（可能在传输中被截断），没有办理。请重新提交',
        page: '提交的内容没有完整收到，没有保存。请检查网络后重新提交。',
        english,
      };
    case 'FST_ERR_BAD_URL':
      return {
        status: 400,
        code: 'bad_url',
        api: '地址的写法不对（含有无法识别的 % 编码），没有办理。请按 URL 编码规则改正地址后重试',
        page: '链接的写法不对。请从导航或列表重新进入。',
        english,
      };
    default:
      return undefined;
  }
}
