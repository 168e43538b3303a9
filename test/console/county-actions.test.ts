import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signReferral, answerReferral } from '../../src/referrals/index.js';
import { buildWorld, makeReferral, township, type World } from '../staff/world.js';
import { signIn } from './session.js';

/**
 * What the county does to a unit's referral from the console: 催办 (supervisors) and 记录回访 (the county window),
 * each with a banner that says only what happened. This world has no WeCom app, so an urge reaches nobody.
 */

let w: World;
beforeAll(async () => {
  w = await buildWorld({ WECOM_AGENT_ID: '' });
});
afterAll(async () => {
  await w?.close();
});

const day = 86_400_000;

/** A referral the unit has answered, as the county finds it for 回访. */
async function answered() {
  const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
  const actor = { type: 'staff' as const, id: w.id.zaoyuan, role: 'township_staff' as const };
  await signReferral(w.deps, { trackingNumber: referral.trackingNumber, actor, now: new Date() });
  await answerReferral(w.deps, { trackingNumber: referral.trackingNumber, actor, now: new Date(), feedback: { result: '已发放临时救助金', handler: '赵社工' } });
  return referral.trackingNumber;
}

describe('催办', () => {
  it('without anyone to message, the banner says the urge is recorded but sent to no one: phone them', async () => {
    const { referral } = await makeReferral(w, township('bancheng'), { township: 'bancheng', at: new Date(Date.now() - 40 * day) });
    const s = await signIn(w, 'supervisor');
    const page = (await s.get(`/console/referrals/${referral.trackingNumber}`)).body;
    expect(page).toContain(`action="/console/referrals/${referral.trackingNumber}/urge"`);
    const res = await s.post(`/console/referrals/${referral.trackingNumber}/urge`, {});
    expect(res.headers.location).toBe(`/console/referrals/${referral.trackingNumber}?done=urged_unsent`);
    const after = (await s.get(res.headers.location as string)).body;
    expect(after).toContain('消息没有发出：请电话催办');
    expect(after).toContain('县级催办');
    expect(await w.env.deps.db.auditEvent.count({ where: { referralId: referral.id, action: 'referral.urged' } })).toBe(1);
    expect(await w.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `referral.${referral.id}.urged.` } } })).toBe(0);
  });

  it('is the supervisor’s alone, and only while the unit owes work', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const staff = await signIn(w, 'zaoyuan');
    expect((await staff.get(`/console/referrals/${referral.trackingNumber}`)).body).not.toContain('/urge"');
    expect((await staff.post(`/console/referrals/${referral.trackingNumber}/urge`, {})).statusCode).toBe(403);
    const supervisor = await signIn(w, 'supervisor');
    expect((await supervisor.get(`/console/referrals/${await answered()}`)).body).not.toContain('/urge"');
  });
});

describe('记录回访', () => {
  it('not satisfied: the referral goes back to the unit, and the banner says so', async () => {
    const tn = await answered();
    const s = await signIn(w, 'duty');
    expect((await s.get(`/console/referrals/${tn}`)).body).toContain('记录回访');
    const refused = await s.post(`/console/referrals/${tn}/follow-up`, { satisfied: '', note: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('请选择居民是否满意');
    await s.get(`/console/referrals/${tn}`);
    const res = await s.post(`/console/referrals/${tn}/follow-up`, { satisfied: 'no', note: '居民说钱还没收到' });
    expect(res.headers.location).toBe(`/console/referrals/${tn}?done=follow_up_reopened`);
    expect((await s.get(res.headers.location as string)).body).toContain('转办件已退回承办单位重新办理');
    const r = await w.env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: tn } });
    expect(r).toMatchObject({ status: 'in_progress', satisfaction: 'not_satisfied', reopenCount: 1, satisfactionNote: '居民说钱还没收到' });
  });

  it('is not offered to the unit that answered', async () => {
    const tn = await answered();
    const s = await signIn(w, 'zaoyuan');
    expect((await s.get(`/console/referrals/${tn}`)).body).not.toContain('记录回访');
    expect((await s.post(`/console/referrals/${tn}/follow-up`, { satisfied: 'yes', note: '满意' })).statusCode).toBe(403);
  });
});
