import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerReferral, signReferral, startReferral } from '../../src/referrals/index.js';
import { asScraper, buildWorld, makeReferral, township, type StaffKey, type World } from './world.js';

/**
 * 催办 and 记录回访 through the staff API: the same functions as the console's buttons (county-referral-actions.ts),
 * so the same people may do them, in the same states, with the same effect and the same trail. This world has a
 * WeCom app, so an urge reaches the unit's staff.
 */

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

const day = 86_400_000;
const unitActor = () => ({ type: 'staff' as const, id: w.id.zaoyuan, role: 'township_staff' as const });

/** A zaoyuan referral the unit has signed for and answered: where the county's 回访 comes in. */
async function answered() {
  const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
  const trackingNumber = referral.trackingNumber;
  await signReferral(w.deps, { trackingNumber, actor: unitActor(), now: new Date() });
  await answerReferral(w.deps, { trackingNumber, actor: unitActor(), now: new Date(), feedback: { result: '已发放临时救助金', handler: '赵社工' } });
  return referral;
}

const row = (trackingNumber: string) => w.env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber } });
const trail = (referralId: string, action: string) => w.env.deps.db.auditEvent.findMany({ where: { referralId, action } });
const urge = (who: StaffKey, tn: string) => w.api(who, 'POST', `/api/v1/referrals/${tn}/urge`);
const followUp = (who: StaffKey, tn: string, body?: unknown) => w.api(who, 'POST', `/api/v1/referrals/${tn}/follow-up`, body);

describe('POST /api/v1/referrals/:trackingNumber/urge (催办)', () => {
  it('a supervisor urges an overdue referral: the unit is messaged, the trail has it, the referral is otherwise unchanged', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: new Date(Date.now() - 40 * day) });
    const before = await row(referral.trackingNumber);
    const res = await urge('supervisor', referral.trackingNumber);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ trackingNumber: referral.trackingNumber, status: 'dispatched', actions: { urge: true } });
    expect(body.history.at(-1)).toMatchObject({ label: '县级催办', actor: '县督办 李主任' });
    const messages = await w.env.deps.db.message.findMany({ where: { idempotencyKey: { startsWith: `referral.${referral.id}.urged.` } } });
    expect(body.messaged).toBeGreaterThan(0);
    expect(messages).toHaveLength(body.messaged);
    expect(messages.every((m) => m.channel === 'wecom_app' && m.text.startsWith('【催办】'))).toBe(true);
    const [entry, ...more] = await trail(referral.id, 'referral.urged');
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ actorType: 'staff', actorId: w.id.supervisor, entity: 'referral', entityId: referral.id, caseId: referral.caseId, after: { messages: body.messaged } });
    const after = await row(referral.trackingNumber);
    expect({ status: after.status, dueAt: after.dueAt, signedAt: after.signedAt }).toEqual({ status: before.status, dueAt: before.dueAt, signedAt: before.signedAt });
  });

  it('is the supervisor’s alone: a duty officer or the unit itself is refused (403), another township does not see it (404)', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const tn = referral.trackingNumber;
    const duty = await urge('duty', tn);
    expect(duty.statusCode).toBe(403);
    expect(duty.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('催办仅限县级督办') });
    const unit = await urge('zaoyuan', tn);
    expect(unit.statusCode).toBe(403);
    expect(unit.json().error.message).toContain('催办仅限县级督办');
    expect((await urge('bancheng', tn)).statusCode).toBe(404);
    expect((await urge('minzheng', tn)).statusCode).toBe(404);
    expect(await trail(referral.id, 'referral.urged')).toHaveLength(0);
    expect(await w.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `referral.${referral.id}.urged.` } } })).toBe(0);
  });

  it('a referral the county window holds itself cannot be urged (the window would urge itself): 409 in Chinese, pointing to 改派; nothing sent or recorded', async () => {
    const { referral } = await makeReferral(w, { kind: 'county_window', code: 'minzheng' });
    const tn = referral.trackingNumber;
    const before = await row(tn);
    const res = await urge('supervisor', tn);
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe('window_holds_it');
    const [chinese] = error.message.split(' / ');
    expect(chinese).toBe(`转办件 ${tn} 由县级窗口自己承办，县级窗口不能向自己催办：请改派给应承办的镇街或部门（仲裁改派），或由窗口直接办理`);
    expect(await trail(referral.id, 'referral.urged')).toHaveLength(0);
    expect(await w.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `referral.${referral.id}.urged.` } } })).toBe(0);
    expect(await row(tn)).toEqual(before);
    // The referral's own view offers no 催办 for it, and 改派 instead.
    expect((await w.api('supervisor', 'GET', `/api/v1/referrals/${tn}`)).json().actions).toMatchObject({ urge: false, reassign: true });
  });

  it('once the unit has answered there is nothing to urge: 409 not_open, in Chinese, and nothing recorded', async () => {
    const referral = await answered();
    const res = await urge('supervisor', referral.trackingNumber);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'not_open', message: expect.stringContaining('已不在办理中，无需催办') });
    expect(await trail(referral.id, 'referral.urged')).toHaveLength(0);
    expect((await urge('supervisor', 'NO-SUCH-1234')).statusCode).toBe(404);
    expect((await urge('supervisor', 'bad!number')).statusCode).toBe(400);
  });
});

describe('POST /api/v1/referrals/:trackingNumber/follow-up (记录回访)', () => {
  it('satisfied: a duty officer’s record closes the referral (办结), on the trail under their name', async () => {
    const referral = await answered();
    const res = await followUp('duty', referral.trackingNumber, { satisfied: 'yes', note: '居民说救助金已到账，满意' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', statusLabel: '已办结', satisfaction: { value: 'satisfied', note: '居民说救助金已到账，满意' }, actions: { followUp: false } });
    expect(res.json().history.at(-1)).toMatchObject({ label: '回访满意，办结', actor: '值班员 张敏' });
    const r = await row(referral.trackingNumber);
    expect(r).toMatchObject({ status: 'closed', satisfaction: 'satisfied', satisfactionNote: '居民说救助金已到账，满意' });
    expect(r.closedAt).not.toBeNull();
    expect(await trail(referral.id, 'referral.follow_up_satisfied')).toEqual([
      expect.objectContaining({ actorType: 'staff', actorId: w.id.duty, entity: 'referral', entityId: referral.id, before: expect.objectContaining({ status: 'answered' }) }),
    ]);
  });

  it('not satisfied: a supervisor’s record reopens it with the unit (重办): fresh deadline, duty task, messages, trail', async () => {
    const referral = await answered();
    const before = await row(referral.trackingNumber);
    const res = await followUp('supervisor', referral.trackingNumber, { satisfied: 'no', note: '居民说钱还没收到' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'in_progress', satisfaction: { value: 'not_satisfied', note: '居民说钱还没收到' }, actions: { urge: true, followUp: false } });
    const r = await row(referral.trackingNumber);
    expect(r).toMatchObject({ status: 'in_progress', satisfaction: 'not_satisfied', reopenCount: 1, answeredAt: null, satisfactionNote: '居民说钱还没收到' });
    expect(r.dueAt!.getTime()).toBeGreaterThan(before.dueAt!.getTime());
    expect(await w.env.deps.db.dutyTask.count({ where: { caseId: referral.caseId, kind: 'escalation' } })).toBe(1);
    expect(await w.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `referral.${referral.id}.reopen.1` } } })).toBeGreaterThan(0);
    expect(await trail(referral.id, 'referral.follow_up_not_satisfied')).toEqual([expect.objectContaining({ actorType: 'staff', actorId: w.id.supervisor, reason: '居民说钱还没收到' })]);
  });

  it('a bad form is refused with the console’s Chinese messages and changes nothing', async () => {
    const referral = await answered();
    const tn = referral.trackingNumber;
    const before = await row(tn);
    const empty = await followUp('duty', tn, { satisfied: '', note: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('请选择居民是否满意') });
    expect(empty.json().error.message).toContain('请写明回访情况');
    for (const bad of [undefined, { satisfied: 'maybe', note: '居民很满意' }, { satisfied: true, note: '居民很满意' }, { satisfied: 'yes', note: ' 好 ' }, { satisfied: 'no', note: '差'.repeat(1001) }]) {
      const res = await followUp('duty', tn, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('invalid_input');
      expect(res.json().error.message).toMatch(/请选择居民是否满意|请写明回访情况|回访情况最多1000字/);
    }
    expect(await row(tn)).toEqual(before);
    expect(await w.env.deps.db.auditEvent.count({ where: { referralId: referral.id, action: { startsWith: 'referral.follow_up' } } })).toBe(0);
    expect((await followUp('duty', 'bad!number', { satisfied: 'yes', note: '居民很满意' })).statusCode).toBe(400);
  });

  it('is the county window’s: the unit that answered is refused (403), other units do not see it (404)', async () => {
    const referral = await answered();
    const tn = referral.trackingNumber;
    const before = await row(tn);
    const unit = await followUp('zaoyuan', tn, { satisfied: 'yes', note: '居民很满意' });
    expect(unit.statusCode).toBe(403);
    expect(unit.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('记录回访仅限县级督办、值班员') });
    expect((await followUp('bancheng', tn, { satisfied: 'yes', note: '居民很满意' })).statusCode).toBe(404);
    expect((await followUp('canlian', tn, { satisfied: 'no', note: '居民不满意' })).statusCode).toBe(404);
    expect(await row(tn)).toEqual(before);
    expect(await w.env.deps.db.auditEvent.count({ where: { referralId: referral.id, action: { startsWith: 'referral.follow_up' } } })).toBe(0);
  });

  it('only once the unit has answered: an open or an already closed referral gets 409 invalid_transition, in Chinese', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const tn = referral.trackingNumber;
    await signReferral(w.deps, { trackingNumber: tn, actor: unitActor(), now: new Date() });
    await startReferral(w.deps, { trackingNumber: tn, actor: unitActor(), now: new Date() });
    const open = await followUp('duty', tn, { satisfied: 'yes', note: '居民很满意' });
    expect(open.statusCode).toBe(409);
    expect(open.json().error).toMatchObject({ code: 'invalid_transition', message: expect.stringContaining('当前状态为“办理中”，不能回访满意办结；请先由承办单位反馈办理结果。') });
    expect((await row(tn)).status).toBe('in_progress');

    const done = await answered();
    expect((await followUp('duty', done.trackingNumber, { satisfied: 'yes', note: '居民很满意' })).statusCode).toBe(200);
    const again = await followUp('supervisor', done.trackingNumber, { satisfied: 'no', note: '居民又说不满意' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'invalid_transition', message: expect.stringContaining('当前状态为“已办结”，不能回访不满意重办') });
    expect((await row(done.trackingNumber)).status).toBe('closed');
    expect(await trail(referral.id, 'referral.follow_up_satisfied')).toHaveLength(0);
    expect(await trail(done.id, 'referral.follow_up_not_satisfied')).toHaveLength(0);
  });
});

describe('a follow-up on a referral not yet signed for', () => {
  it('is refused with 409 and told what comes first: the unit signs for it, then answers', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const tn = referral.trackingNumber;
    const before = await row(tn);
    const res = await followUp('supervisor', tn, { satisfied: 'yes', note: '居民很满意' });
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error).toMatchObject({ code: 'invalid_transition', details: { status: 'dispatched', action: 'follow_up_satisfied', doFirst: 'sign', steps: ['sign', 'answer'] } });
    const [chinese, english] = error.message.split(' / ');
    expect(chinese).toBe(`转办件 ${tn} 当前状态为“已派发、待签收”，不能回访满意办结；请先由承办单位签收，再反馈办理结果。`);
    expect(chinese).not.toContain('已不能再做');
    expect(english).toContain('the holding unit must sign for it, then answer it first');
    expect(await row(tn)).toEqual(before);
    expect(await w.env.deps.db.auditEvent.count({ where: { referralId: referral.id, action: { startsWith: 'referral.follow_up' } } })).toBe(0);
  });
});

describe('the OpenAPI document', () => {
  it('describes both routes, the follow-up form with its fields', async () => {
    const doc = (await w.env.app.inject({ method: 'GET', url: '/docs/json', headers: asScraper })).json();
    const urgeOp = doc.paths['/api/v1/referrals/{trackingNumber}/urge'].post;
    expect(urgeOp).toMatchObject({ tags: ['referrals'], security: [{ bearerAuth: [] }] });
    expect(urgeOp.summary).toContain('催办');
    const followOp = doc.paths['/api/v1/referrals/{trackingNumber}/follow-up'].post;
    expect(followOp.summary).toContain('记录回访');
    const schema = followOp.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({ required: ['satisfied', 'note'], properties: { satisfied: { enum: ['yes', 'no'] }, note: { minLength: 2, maxLength: 1000 } } });
  });
});
