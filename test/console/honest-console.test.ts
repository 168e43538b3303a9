import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, makeConversation, makeReferral, township, type World } from '../staff/world.js';
import { signIn } from './session.js';

/**
 * The console says only what happened and shows each role its work: the feedback banner tells whether the resident
 * will hear, an ended conversation is explained, developers' links are not in the supervisor's menu, the dashboard
 * draws its charts, downloads are named in Chinese, 性别 comes from the ID number, the site has an icon.
 */

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

async function answer(who: 'zaoyuan' | 'minzheng', tn: string) {
  const s = await signIn(w, who);
  await s.get(`/console/referrals/${tn}`);
  expect((await s.post(`/console/referrals/${tn}/sign`, {})).statusCode).toBe(303);
  await s.get(`/console/referrals/${tn}`);
  const res = await s.post(`/console/referrals/${tn}/answer`, { result: '已入户核查，纳入临时救助', date: '', handler: '赵社工', note: '' });
  expect(res.statusCode).toBe(303);
  return (await s.get(res.headers.location as string)).body;
}

describe('the feedback banner', () => {
  it('says the resident will be told when a message is on its way to them', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    expect(await answer('zaoyuan', referral.trackingNumber)).toContain('结果已交由系统发给居民');
  });

  it('says they will not be when there is no way to reach them', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', phone: null });
    const page = await answer('zaoyuan', referral.trackingNumber);
    expect(page).toContain('系统无法告知居民');
    expect(page).not.toContain('结果已交由系统发给居民');
  });

  it('says the result goes to the county for a step that does not face the resident', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', planned: { step: 'investigate' } });
    const page = await answer('zaoyuan', referral.trackingNumber);
    expect(page).toContain('不直接发给居民');
  });
});

describe('duty officers', () => {
  it('taking a task whose conversation ended says so and offers a call back, not a takeover', async () => {
    const { conversation, task } = await makeConversation(w, { flag: 'asked_for_person' });
    await w.env.deps.db.conversation.update({ where: { id: conversation.id }, data: { status: 'closed' } });
    const s = await signIn(w, 'duty');
    const queue = (await s.get('/console/duty/queue')).body;
    expect(queue).toContain('接手回电');
    expect(queue).toContain('对话已结束，无法接管');
    const taken = await s.post(`/console/duty/tasks/${task!.id}/take`, {});
    expect(taken.headers.location).toBe('/console/duty?done=task_taken_ended');
    const page = (await s.get(taken.headers.location as string)).body;
    expect(page).toContain('该对话已结束，无法在线接管或回复');
    expect(page).not.toContain('已接管对话');
    expect(page).toContain('data-confirm="办结后');
    const conv = (await s.get(`/console/conversations/${conversation.id}`)).body;
    expect(conv).toContain('该对话已结束，不能再接管或在线回复');
  });
});

describe('supervisors', () => {
  it('see no developer links, Chinese job failures, and the charts', async () => {
    // An urgent referral not signed within its hour: overdue this month.
    await makeReferral(w, township('bancheng'), { township: 'bancheng', urgent: true, at: new Date(Date.now() - 3 * 3_600_000) });
    const s = await signIn(w, 'supervisor');
    const page = (await s.get('/console/supervise')).body;
    expect(page).not.toContain('href="/admin/queues"');
    expect(page).not.toContain('href="/docs"');
    expect(page).toContain('data-chart="units"');
    expect(page).toContain('data-chart="trend"');
    expect(page).toMatch(/<rect data-series="received"[^>]+width="[1-9]/);
    expect(page).toMatch(/<rect data-series="overdue"[^>]+width="[1-9]/);
    expect(page).toMatch(/<path data-series="sign" d="M/);
    expect(page).toContain('<title id="chart-trend-t">近12周来件量与按时率</title>');
    expect(page).toContain('rel="icon"');
  });
});

describe('files', () => {
  it('the service form fills 性别 from the ID number and downloads with a Chinese name', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const s = await signIn(w, 'zaoyuan');
    const form = (await s.get(`/console/referrals/${referral.trackingNumber}/service-form`)).body;
    expect(form).toMatch(/<th>性别<\/th><td>女<\/td>/);
    const download = await s.get(`/console/referrals/${referral.trackingNumber}/service-form?download=1`);
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('服务办理单-')}`);
    const ledger = await s.get('/console/exports/referrals.xlsx');
    expect(ledger.headers['content-type']).toContain('spreadsheetml');
    expect(ledger.headers['content-disposition']).toMatch(/filename="[^"]+\.xlsx"; filename\*=UTF-8''.+\.xlsx/);
  });

  it('the site has an icon', async () => {
    const res = await w.env.app.inject({ url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect((await w.env.app.inject({ url: '/console/assets/favicon.svg' })).statusCode).toBe(200);
  });
});
