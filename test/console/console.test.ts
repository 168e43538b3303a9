import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignedForm } from '../fakes/sign.js';
import { asScraper, buildWorld, ID_NUMBER, makeConversation, makeReferral, OUR_NUMBER, township, TWILIO, type World } from '../staff/world.js';
import { openConsole, signIn } from './session.js';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('signing in', () => {
  it('with the token from `hotline staff add`: a server-side session in Redis, cookie HTTP-only, SameSite=Lax, Secure on https', async () => {
    const s = await openConsole(w);
    const page = await s.get('/console/login');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('工作人员登录');
    const wrong = await s.post('/console/login', { token: 'hl_wrong' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('登录令牌无效或已停用');

    const ok = await s.post('/console/login', { token: w.token.zaoyuan });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/console/referrals');
    const cookie = ([] as string[]).concat(ok.headers['set-cookie'] ?? []).find((c) => c.startsWith('hotline_staff='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const keys = await w.env.deps.redis.keys(`${w.env.config.redis.prefix}:staff-session:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(s.cookies.hotline_staff!);
    expect((await s.get('/console/referrals')).statusCode).toBe(200);

    await s.post('/console/logout', {});
    expect(await w.env.deps.redis.keys(`${w.env.config.redis.prefix}:staff-session:*`)).toHaveLength(0);
    const after = await s.get('/console/referrals');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/console/login?next=%2Fconsole%2Freferrals');
  });

  it('each role lands on its own page; a deactivated user is signed out at once', async () => {
    for (const [who, home] of [['supervisor', '/console/supervise'], ['duty', '/console/duty'], ['canlian', '/console/referrals']] as const) {
      const s = await signIn(w, who);
      expect((await s.get('/console')).headers.location).toBe(home);
    }
    const s = await signIn(w, 'duty2');
    await w.env.deps.db.staffUser.update({ where: { id: w.id.duty2 }, data: { active: false } });
    expect((await s.get('/console/duty')).statusCode).toBe(303);
  });

  it('pages carry security headers and are never cached', async () => {
    const s = await signIn(w, 'zaoyuan');
    const res = await s.get('/console/referrals');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('township staff work a referral in the console', () => {
  it('worklist with clock colours, sign, answer with the feedback form, print both forms', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: new Date(Date.now() - 40 * 86_400_000) });
    const tn = referral.trackingNumber;
    const s = await signIn(w, 'zaoyuan');
    const list = await s.get('/console/referrals');
    expect(list.body).toContain(tn);
    expect(list.body).toContain('clock-overdue');
    expect(list.body).toContain('已超期');

    const noToken = await w.env.app.inject({ method: 'POST', url: `/console/referrals/${tn}/sign`, headers: { cookie: `hotline_staff=${s.cookies.hotline_staff}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('页面已过期');
    expect((await w.env.deps.db.referral.findUniqueOrThrow({ where: { id: referral.id } })).status).toBe('dispatched');

    await s.get(`/console/referrals/${tn}`);
    const signed = await s.post(`/console/referrals/${tn}/sign`, {});
    expect(signed.statusCode).toBe(303);
    expect(signed.headers.location).toBe(`/console/referrals/${tn}?done=signed`);
    const page = await s.get(signed.headers.location as string);
    expect(page.body).toContain('已签收。');
    expect(page.body).toContain('反馈办理结果');

    const bad = await s.post(`/console/referrals/${tn}/answer`, { result: '', date: '', handler: '赵社工' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请填写办理结果');
    await s.get(`/console/referrals/${tn}`);
    const answered = await s.post(`/console/referrals/${tn}/answer`, { result: '已入户核查，纳入临时救助', date: '', handler: '赵社工', note: '' });
    expect(answered.statusCode).toBe(303);
    const feedback = await s.get(`/console/referrals/${tn}/feedback-form`);
    expect(feedback.body).toContain('转办件办理反馈单');
    expect(feedback.body).toContain('已入户核查，纳入临时救助');
    expect(feedback.body).toContain('class="form-sheet"');
    expect((await s.get('/console/assets/console.css')).body).toContain('@media print');
    const download = await s.get(`/console/referrals/${tn}/feedback-form?download=1`);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.body).toContain('@media print');

    const service = await s.get(`/console/referrals/${tn}/service-form`);
    expect(service.body).toContain('社会救助服务办理单');
    expect(service.body).toContain('110***********002X');
    expect(service.body).not.toContain(ID_NUMBER);
    const full = await s.post(`/console/referrals/${tn}/service-form`, { reason: '入户调查存档' });
    expect(full.body).toContain(ID_NUMBER);
    expect(await w.env.deps.db.auditEvent.count({ where: { action: 'personal_data.viewed', actorId: w.id.zaoyuan, reason: '入户调查存档' } })).toBe(1);
  });

  it('another township’s referral is refused as not found', async () => {
    const { referral } = await makeReferral(w, township('bancheng'), { township: 'bancheng' });
    const s = await signIn(w, 'zaoyuan');
    const res = await s.get(`/console/referrals/${referral.trackingNumber}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('没有找到');
    expect(res.body).not.toContain('王秀云');
  });

  it('late visits show on the worklist; a visit is recorded from the person’s page', async () => {
    const s = await signIn(w, 'zaoyuan');
    await s.get('/console/roster/new');
    const added = await s.post('/console/roster', { townshipCode: 'zaoyuan', villageCode: '', name: '孙爷爷', idNumber: '', phone: '', category: 'extreme_poverty', visitEveryDays: '30', firstVisitDue: '2026-01-10', note: '' });
    expect(added.statusCode).toBe(303);
    const list = await s.get('/console/referrals');
    expect(list.body).toContain('巡访逾期（1人）');
    expect(list.body).toContain('孙爷爷');
    const person = (added.headers.location as string).split('?')[0]!;
    await s.get(person);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const visited = await s.post(`${person}/visits`, { visitedOn: today, findings: '本人在家，取暖已落实' });
    expect(visited.statusCode).toBe(303);
    expect((await s.get('/console/referrals')).body).not.toContain('巡访逾期');
  });

  it('a clue reported in the console goes to the township', async () => {
    const s = await signIn(w, 'zaoyuan');
    await s.get('/console/clues/new');
    const res = await s.post('/console/clues', { townshipCode: 'zaoyuan', villageCode: 'donglu', address: '', personName: '刘大爷', what: '独居老人，一周没出门', category: '', reporterName: '村协理员 钱', reporterPhone: '' });
    expect(res.statusCode).toBe(303);
    const kase = await s.get(res.headers.location as string);
    expect(kase.body).toContain('主动发现线索');
    expect(kase.body).toContain('枣园镇');
  });

  it('registers download masked; in full with a reason', async () => {
    const s = await signIn(w, 'zaoyuan');
    const csv = await s.get('/console/exports/cases.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('110***********002X');
    await s.get('/console/exports');
    const full = await s.post('/console/exports/full', { ledger: 'cases', format: 'csv', reason: '月度核对' });
    expect(full.body).toContain(ID_NUMBER);
  });
});

describe('duty officers in the console', () => {
  it('the queue refreshes in place; taking a flag opens the conversation; a reply goes out by SMS', async () => {
    const { conversation, task, sender } = await makeConversation(w, { urgent: true, flag: 'urgent' });
    const s = await signIn(w, 'duty');
    const page = await s.get('/console/duty');
    expect(page.body).toContain('data-poll="/console/duty/queue"');
    const fragment = await s.get('/console/duty/queue');
    expect(fragment.body).toContain(`/console/duty/tasks/${task!.id}/take`);
    expect(fragment.body).not.toContain('<html');
    const taken = await s.post(`/console/duty/tasks/${task!.id}/take`, {});
    expect(taken.headers.location).toBe(`/console/conversations/${conversation.id}?done=taken`);
    const conv = await s.get(taken.headers.location as string);
    expect(conv.body).toContain('人工接待中');
    expect(conv.body).toContain('110***********002X');
    const replied = await s.post(`/console/conversations/${conversation.id}/reply`, { text: '您好，我是值班员，马上为您联系镇街。' });
    expect(replied.statusCode).toBe(303);
    expect(w.twilio.messages.at(-1)).toMatchObject({ to: sender, from: OUR_NUMBER, body: '您好，我是值班员，马上为您联系镇街。' });
  });

  it('township staff cannot open the duty queue or a conversation', async () => {
    const { conversation } = await makeConversation(w);
    const s = await signIn(w, 'zaoyuan');
    expect((await s.get('/console/duty')).statusCode).toBe(403);
    expect((await s.get(`/console/conversations/${conversation.id}`)).statusCode).toBe(404);
  });
});

describe('tools', () => {
  it('the BullMQ dashboard is for supervisors only, behind the console sign-in', async () => {
    const anonymous = await w.env.app.inject({ method: 'GET', url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/console/login?next=%2Fadmin%2Fqueues');
    expect((await w.env.app.inject({ method: 'GET', url: '/admin/queues/api/queues' })).statusCode).toBe(401);
    const township = await signIn(w, 'zaoyuan');
    expect((await township.get('/admin/queues')).statusCode).toBe(403);
    const supervisor = await signIn(w, 'supervisor');
    expect((await supervisor.get('/admin/queues')).statusCode).toBe(200);
    const api = await supervisor.get('/admin/queues/api/queues');
    expect(api.statusCode).toBe(200);
    expect(api.body).toContain('outbound');
  });

  it('OpenAPI docs describe the staff API, not the webhooks', async () => {
    expect((await w.env.app.inject({ url: '/docs', headers: asScraper })).statusCode).toBeLessThan(400);
    const spec = (await w.env.app.inject({ url: '/docs/json', headers: asScraper })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/referrals', '/api/v1/referrals/{trackingNumber}/sign', '/open311/v2/requests.json']));
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/channels') || p.startsWith('/console'))).toBe(false);
    expect(spec.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('Prometheus metrics from the app’s own registry, including webhook latency by route', async () => {
    const params = { MessageSid: `SM${'7'.repeat(32)}`, AccountSid: TWILIO.accountSid, From: '+8613711112222', To: OUR_NUMBER, Body: '你好', NumMedia: '0' };
    const signed = twilioSignedForm(TWILIO.authToken, 'https://hotline.example.org/channels/twilio/sms', params);
    await w.env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: signed.headers, payload: signed.payload });
    const res = await w.env.app.inject({ url: '/metrics', headers: asScraper });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/hotline_webhook_duration_seconds_count\{route="\/channels\/twilio\/sms",status="200"\} 1/);
    expect(res.body).toMatch(/hotline_dialog_turns_total [1-9]/);
    expect(res.body).toMatch(/hotline_cases\{category="minimum_living"\} \d+/);
    expect(res.body).toMatch(/hotline_referrals\{status="answered"\} 1/);
    expect(res.body).toMatch(/hotline_referrals_overdue \d+/);
    expect(res.body).toMatch(/hotline_queue_jobs\{queue="timers",state="delayed"\} \d+/);
  });
});
