import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../../src/jobs/create-jobs.js';
import { queueOutbound } from '../../src/referrals/index.js';
import { agency, buildWorld, makeReferral, OUR_NUMBER, township, type World } from './world.js';

const DAY = 86_400_000;
let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

const tns = (res: { json(): { items: { trackingNumber: string }[] } }) => res.json().items.map((r) => r.trackingNumber);

describe('the worklist', () => {
  it('colours each referral by its most pressing clock and filters by that colour', async () => {
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const overdue = (await makeReferral(w, township('liguan'), { township: 'liguan', at: ago(40) })).referral;
    const soon = (await makeReferral(w, township('liguan'), { township: 'liguan', at: ago(25) })).referral;
    // Signed for in time: only its approval clock is still running, in its last quarter.
    await w.env.deps.db.referral.update({ where: { id: soon.id }, data: { status: 'signed', signedAt: new Date(soon.createdAt.getTime() + 3_600_000) } });
    const fresh = (await makeReferral(w, township('liguan'), { township: 'liguan' })).referral;
    const liguan = await w.env.deps.db.staffUser.create({ data: { name: '李官镇 社工', role: 'township_staff', townshipId: w.env.deps.directory.townshipId('liguan')!, tokenHash: 'x'.repeat(64) } });
    const staff = { id: liguan.id, name: liguan.name, role: 'township_staff' as const, townshipId: liguan.townshipId, agencyId: null };
    const { listReferrals } = await import('../../src/staff/worklist.js');
    const all = await listReferrals(w.env.deps, staff, {}, new Date());
    expect(all.items.map((r) => [r.trackingNumber, r.clock.state])).toEqual([
      [overdue.trackingNumber, 'overdue'],
      [soon.trackingNumber, 'due_soon'],
      [fresh.trackingNumber, 'on_time'],
    ]);
    // Never signed: the sign-for deadline shows first, and every clock of it is red.
    expect(all.items[0]!.clock).toMatchObject({ kind: 'sign', label: '已超期' });
    expect(all.items[0]!.clock.clocks.map((c) => [c.kind, c.state])).toEqual([['sign', 'overdue'], ['approval', 'overdue']]);
    expect(all.items[1]!.clock.clocks.map((c) => [c.kind, c.state, c.label])).toEqual([['sign', 'on_time', '按时签收'], ['approval', 'due_soon', '即将到期']]);
    for (const [clock, expected] of [['overdue', overdue], ['due_soon', soon], ['on_time', fresh]] as const) {
      const list = await listReferrals(w.env.deps, staff, { clock }, new Date());
      expect(list.items.map((r) => r.trackingNumber)).toEqual([expected.trackingNumber]);
    }
  });

  it('pages on the server, soonest deadline first', async () => {
    for (let i = 0; i < 12; i++) await makeReferral(w, township('fangcheng'), { township: 'fangcheng', at: new Date(Date.now() - i * DAY) });
    const page1 = await w.api('supervisor', 'GET', '/api/v1/referrals?unit=township:fangcheng&pageSize=10');
    expect(page1.json()).toMatchObject({ total: 12, page: 1, pages: 2 });
    const page2 = await w.api('supervisor', 'GET', '/api/v1/referrals?unit=township:fangcheng&pageSize=10&page=2');
    expect(page2.json().items).toHaveLength(2);
    const due = [...page1.json().items, ...page2.json().items].map((r: { dueAt: string }) => r.dueAt);
    expect(due).toEqual([...due].sort());
    expect((await w.api('supervisor', 'GET', '/api/v1/referrals?unit=township:nowhere')).statusCode).toBe(400);
  });
});

describe('a township signs, works on and answers a referral', () => {
  it('sign → handling note → feedback form; the resident’s answer is staged on their channel', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const tn = referral.trackingNumber;
    const signed = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/sign`);
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', statusLabel: '已签收', actions: { sign: false, answer: true, note: true } });
    expect((await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/sign`)).json().error.code).toBe('invalid_transition');

    const noted = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/handling`, { note: '已电话联系申请人，约定周三入户' });
    expect(noted.json().status).toBe('in_progress');
    expect(noted.json().history.map((h: { label: string }) => h.label)).toEqual(['派发', '签收', '开始办理', '办理记录']);
    expect(noted.json().history.at(-1)).toMatchObject({ actor: '枣园镇 赵社工', note: '已电话联系申请人，约定周三入户' });

    const incomplete = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/answer`, { result: '已入户核查', handler: ' ' });
    expect(incomplete.statusCode).toBe(400);
    const future = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/answer`, { result: '已入户核查', handler: '赵社工', date: '2099-01-01' });
    expect(future.json().error.message).toContain('不能晚于今天');

    const answered = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/answer`, { result: '经入户核查，已纳入低保，每月发放低保金', handler: '赵社工', note: '材料已归档' });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', feedback: { result: '经入户核查，已纳入低保，每月发放低保金', handler: '赵社工', note: '材料已归档' } });
    const toResident = await w.env.deps.db.message.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `referral.${referral.id}.answer` } } });
    expect(toResident).toMatchObject({ channel: 'sms', recipient: '+8613812345678', sender: OUR_NUMBER, status: 'queued' });
    expect(toResident.text).toContain('已纳入低保');
  });
});

describe('returns, arbitration and extensions', () => {
  it('a unit returns a referral with a reason; it waits at the county window; a supervisor reassigns it', async () => {
    const { referral } = await makeReferral(w, agency('canlian'), { township: 'bancheng', planned: { category: 'disability' } });
    const noReason = await w.api('canlian', 'POST', `/api/v1/referrals/${referral.trackingNumber}/return`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const returned = await w.api('canlian', 'POST', `/api/v1/referrals/${referral.trackingNumber}/return`, { reason: '申请人未办理残疾证，应先由镇街核实' });
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '申请人未办理残疾证，应先由镇街核实' });

    const atWindow = await w.api('supervisor', 'GET', '/api/v1/referrals?unit=county_window');
    const windowTn = `${referral.trackingNumber.replace(/-\d+$/, '')}-2`;
    expect(tns(atWindow)).toContain(windowTn);
    const windowView = (await w.api('supervisor', 'GET', `/api/v1/referrals/${windowTn}`)).json();
    expect(windowView.actions).toMatchObject({ reassign: true, return: false });
    expect(windowView.related[0]).toMatchObject({ trackingNumber: referral.trackingNumber, returnReason: '申请人未办理残疾证，应先由镇街核实', statusLabel: '已退回' });

    expect((await w.api('canlian', 'POST', `/api/v1/referrals/${windowTn}/reassign`, { unit: 'township:bancheng', reason: '先核实' })).statusCode).toBe(404);
    const reassigned = await w.api('supervisor', 'POST', `/api/v1/referrals/${windowTn}/reassign`, { unit: 'township:bancheng', reason: '由半程镇先入户核实' });
    expect(reassigned.statusCode).toBe(200);
    expect(reassigned.json()).toMatchObject({ unit: { kind: 'township', code: 'bancheng' }, status: 'dispatched' });
    expect(tns(await w.api('bancheng', 'GET', '/api/v1/referrals'))).toContain(reassigned.json().trackingNumber);
    const again = await w.api('supervisor', 'POST', `/api/v1/referrals/${reassigned.json().trackingNumber}/reassign`, { unit: 'township:zaoyuan', reason: '属地管理' });
    expect(again.json().error.code).toBe('not_at_window');
  });

  it('a unit asks for more time; a supervisor sees it waiting and approves a date', async () => {
    const { referral } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const tn = referral.trackingNumber;
    expect((await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/extension`, { dueDate: '2099-03-01', reason: '等待残疾鉴定结果' })).json().error.code).toBe('invalid_transition');
    await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/sign`);
    const asked = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${tn}/extension`, { dueDate: '2099-03-01', reason: '等待残疾鉴定结果' });
    expect(asked.json()).toMatchObject({ extensionPending: true, extension: { reason: '等待残疾鉴定结果' } });
    expect(tns(await w.api('supervisor', 'GET', '/api/v1/referrals?flag=extension'))).toContain(tn);
    const approved = await w.api('supervisor', 'POST', `/api/v1/referrals/${tn}/extension/approve`, { dueDate: '2099-02-15' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().extensionPending).toBe(false);
    // Shanghai is UTC+8 all year: the new deadline falls on the approved local date.
    expect(new Date(Date.parse(approved.json().dueAt) + 8 * 3_600_000).toISOString().slice(0, 10)).toBe('2099-02-15');
    expect(tns(await w.api('supervisor', 'GET', '/api/v1/referrals?flag=extension'))).not.toContain(tn);
  });

  it('supervised (督办) referrals are a filter of their own', async () => {
    const { referral } = await makeReferral(w, township('yitang'), { township: 'yitang', at: new Date(Date.now() - 45 * DAY) });
    await w.env.deps.db.referralTimer.update({ where: { referralId_step: { referralId: referral.id, step: 'supervise' } }, data: { firedAt: new Date() } });
    expect(tns(await w.api('supervisor', 'GET', '/api/v1/referrals?flag=supervised'))).toEqual([referral.trackingNumber]);
    expect(tns(await w.api('supervisor', 'GET', '/api/v1/referrals?clock=overdue&unit=township:yitang'))).toEqual([referral.trackingNumber]);
  });
});

describe('supervision', () => {
  it('per-unit figures for the month: received, on-time rates, returns, overdue', async () => {
    const res = await w.api('supervisor', 'GET', '/api/v1/supervision/units');
    expect(res.statusCode).toBe(200);
    const units = res.json().units as { unitCode: string; received: number; signedOnTimeRate: number | null; returnRate: number | null; overdue: number }[];
    const canlian = units.find((u) => u.unitCode === 'canlian')!;
    expect(canlian).toMatchObject({ received: 1, returnRate: 1 });
    const liguan = units.find((u) => u.unitCode === 'liguan')!;
    expect(liguan.received).toBeGreaterThanOrEqual(1);
    expect(units.find((u) => u.unitCode === 'machanghu')).toMatchObject({ received: 0, signedOnTimeRate: null });
    expect((await w.api('supervisor', 'GET', '/api/v1/supervision/units?month=2026-13')).statusCode).toBe(400);
  });

  it('failed jobs with their errors, from BullMQ', async () => {
    const workers = createJobs(w.env.deps, { outboundAttempts: 1 });
    await workers.startWorkers();
    try {
      await queueOutbound({ db: w.env.deps.db, outbox: workers.ports.outbox }, [{ key: 'test.bad-number', channel: 'sms', from: OUR_NUMBER, to: '+0', text: '测试', purpose: 'test' }], new Date());
      for (let i = 0; i < 100 && (await w.jobs.queues.outbound.getFailedCount()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await workers.close();
    }
    const res = await w.api('supervisor', 'GET', '/api/v1/supervision/failed-jobs');
    expect(res.statusCode).toBe(200);
    expect(res.json()[0]).toMatchObject({ queue: 'outbound', name: 'outbound.send', attempts: 1, data: { idempotencyKey: 'test.bad-number' } });
    expect(res.json()[0].reason).toMatch(/21211|Invalid 'To'/);
  });
});
