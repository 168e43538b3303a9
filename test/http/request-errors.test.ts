import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePattern } from '../../src/http/request-errors.js';
import { signIn, type ConsoleSession } from '../console/session.js';
import { buildWorld, makeReferral, township, type World } from '../staff/world.js';

/**
 * Issue 16: requests the framework refuses before any route runs (a body that is not JSON, empty, of another type or
 * too large; an address with no route, or no route for the method; an address that does not decode) are answered with
 * a stable code and a Chinese message saying what to do: "中文 / English" in the API, a Chinese error page with the
 * same code in the console. Nothing is written.
 */

let w: World;
let tn: string;
let s: ConsoleSession;
beforeAll(async () => {
  w = await buildWorld();
  tn = (await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' })).referral.trackingNumber;
  s = await signIn(w, 'zaoyuan');
});
afterAll(async () => {
  await w?.close();
});

const auth = () => ({ authorization: `Bearer ${w.token.zaoyuan}` });
const written = async () => ({ keyPersons: await w.env.deps.db.keyPerson.count(), audit: await w.env.deps.db.auditEvent.count() });

/** The API's answer: the status, the code, and a message whose Chinese half (before " / ") comes first and is not empty. */
function apiRefusal(res: { statusCode: number; json(): unknown }, status: number, code: string): string {
  expect(res.statusCode).toBe(status);
  const error = (res.json() as { error: { code: string; message: string } }).error;
  expect(error.code).toBe(code);
  const [chinese, english] = error.message.split(' / ');
  expect(chinese, error.message).toMatch(/^[\u4e00-\u9fff]/);
  expect(english, 'the English after " / "').toBeTruthy();
  // No English sentence in the Chinese half: only technical names (JSON, Content-Type, /docs…) may be Latin.
  expect(chinese).not.toMatch(/\b(is|not|the|must|cannot|route|body)\b/i);
  return chinese!;
}

describe('the staff API', () => {
  const roster = (headers: Record<string, string>, payload?: string) =>
    w.env.app.inject({ method: 'POST', url: '/api/v1/roster', headers: { ...auth(), ...headers }, ...(payload === undefined ? {} : { payload }) });

  it('a body that is not JSON, empty, of another type or too large: a code and what to do, nothing written', async () => {
    const before = await written();
    expect(apiRefusal(await roster({ 'content-type': 'application/json' }, '{"name": "孙爷爷",'), 400, 'invalid_json')).toContain('不是有效的 JSON');
    expect(apiRefusal(await roster({ 'content-type': 'application/json' }, ''), 400, 'empty_body')).toContain('请求体是空的');
    const xml = apiRefusal(await roster({ 'content-type': 'application/xml' }, '<name>孙爷爷</name>'), 415, 'unsupported_media_type');
    expect(xml).toContain('不接受这种内容类型（application/xml）');
    expect(xml).toContain('Content-Type: application/json');
    const big = apiRefusal(await roster({ 'content-type': 'application/json' }, JSON.stringify({ name: '孙'.repeat(100_000), category: 'child' })), 413, 'body_too_large');
    expect(big).toContain('最多 256 KB');
    expect(await written()).toEqual(before);
  });

  it('an unknown address is a 404 that names it and where the interfaces are', async () => {
    expect(apiRefusal(await w.env.app.inject({ method: 'GET', url: '/api/v1/referals?x=1', headers: auth() }), 404, 'not_found')).toBe(
      '没有这个接口：GET /api/v1/referals。请核对地址（接口都以 /api/v1/ 开头）；接口列表见 /docs',
    );
    expect(apiRefusal(await w.env.app.inject({ method: 'GET', url: '/nope' }), 404, 'not_found')).toContain('工作人员请从 /console 进入');
  });

  it('a known address with the wrong method is a 405 naming the methods it takes, with an Allow header', async () => {
    const res = await w.env.app.inject({ method: 'DELETE', url: `/api/v1/referrals/${tn}`, headers: auth() });
    expect(apiRefusal(res, 405, 'method_not_allowed')).toBe(`这个地址不接受 DELETE 请求：/api/v1/referrals/${tn} 只能用 GET 调用。请改用正确的方法；各接口的方法见 /docs`);
    expect(res.headers.allow).toBe('GET, HEAD');
    const sign = await w.env.app.inject({ method: 'GET', url: `/api/v1/referrals/${tn}/sign`, headers: auth() });
    expect(apiRefusal(sign, 405, 'method_not_allowed')).toContain('只能用 POST 调用');
    expect((await w.env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: tn } })).status).toBe('dispatched');
  });

  it('an address that does not decode, no token, a referral not found: all in Chinese', async () => {
    expect(apiRefusal(await w.env.app.inject({ method: 'GET', url: '/api/v1/referrals/%zz', headers: auth() }), 400, 'bad_url')).toContain('地址的写法不对');
    expect(apiRefusal(await w.env.app.inject({ method: 'GET', url: '/api/v1/referrals' }), 401, 'unauthorized')).toContain('请先登录');
    expect(apiRefusal(await w.env.app.inject({ method: 'GET', url: '/api/v1/referrals/261207345163', headers: auth() }), 404, 'not_found')).toBe(
      '没有找到转办件 261207345163，或它不在您的办理范围内：请核对编号',
    );
  });
});

describe('the console', () => {
  /** The error page's alert: its code and its words, which are Chinese only. */
  function alertOf(body: string) {
    const m = /<p class="error" role="alert" data-code="([a-z_]+)">([^<]*)<\/p>/.exec(body);
    expect(m, body.slice(0, 2000)).not.toBeNull();
    expect(m![2]).toMatch(/[\u4e00-\u9fff]/);
    expect(m![2]).not.toMatch(/[A-Za-z]{2,}/);
    return { code: m![1], text: m![2] };
  }
  const cookie = () => Object.entries(s.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  const post = (url: string, headers: Record<string, string>, payload: string) => w.env.app.inject({ method: 'POST', url, headers: { cookie: cookie(), ...headers }, payload });

  it('a form too long to take says so and that nothing was saved; the note is not recorded', async () => {
    await s.get(`/console/referrals/${tn}`);
    const before = await written();
    const res = await post(`/console/referrals/${tn}/handling`, { 'content-type': 'application/x-www-form-urlencoded' }, `note=${'长'.repeat(100_000)}`);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(alertOf(res.body)).toEqual({ code: 'body_too_large', text: '提交的内容太长，没有保存。请删减文字后重新提交；材料、照片请另行报送。' });
    expect(await written()).toEqual(before);
  });

  it('a body that cannot be read is a Chinese page, not a framework message', async () => {
    const res = await post(`/console/referrals/${tn}/sign`, { 'content-type': 'application/json' }, '{"_csrf":');
    expect(res.statusCode).toBe(400);
    expect(alertOf(res.body)).toEqual({ code: 'invalid_json', text: '提交的内容无法读取，没有保存。请刷新页面，重新填写后提交。' });
    expect((await w.env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: tn } })).status).toBe('dispatched');
  });

  it('an action’s address opened as a page says it is for the button, and leads back to the referral', async () => {
    const res = await s.get(`/console/referrals/${tn}/sign`);
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(alertOf(res.body)).toEqual({ code: 'method_not_allowed', text: '这个地址用于提交页面上的操作，不能直接打开。请回到原来的页面，用页面上的按钮办理。' });
    expect(res.body).toContain(`href="/console/referrals/${tn}"`);
    expect((await w.env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: tn } })).status).toBe('dispatched');
  });

  it('an unknown page is a 404 with the way back', async () => {
    const res = await s.get('/console/referals');
    expect(res.statusCode).toBe(404);
    expect(alertOf(res.body)).toEqual({ code: 'not_found', text: '没有这个页面。请从导航进入。' });
  });
});

describe('route paths as patterns (which methods a concrete path has)', () => {
  it('reads parameters, two in one segment, a parameter’s own regex, wildcards and escaped colons', () => {
    expect(routePattern('/console/referrals/:trackingNumber/sign').test('/console/referrals/261207345163/sign')).toBe(true);
    expect(routePattern('/console/referrals/:trackingNumber/sign').test('/console/referrals/2612/07/sign')).toBe(false);
    expect(routePattern('/console/exports/:ledger.:format').test('/console/exports/cases.xlsx')).toBe(true);
    expect(routePattern('/console/exports/:ledger.:format').test('/console/exports/cases')).toBe(false);
    expect(routePattern('/x/:id(^\\d+)/y').test('/x/12/y')).toBe(true);
    expect(routePattern('/docs/*').test('/docs/static/index.html')).toBe(true);
    expect(routePattern('/a::b').test('/a:b')).toBe(true);
    expect(routePattern('/a.b').test('/axb')).toBe(false);
  });
});
