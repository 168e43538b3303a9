import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportClue } from '../../src/staff/report-clue.js';
import { buildWorld, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('clues (主动发现)', () => {
  it('a village assistant reports a clue; it becomes a clue case routed to the township for a home visit', async () => {
    const res = await w.api('zaoyuan', 'POST', '/api/v1/clues', {
      townshipCode: 'zaoyuan',
      villageCode: 'donglu',
      address: '三组东头第二户',
      personName: '刘大爷',
      what: '独居老人，一周没出门，家里没有取暖',
      category: 'elderly',
      reporter: { phone: '13600001111' },
    });
    expect(res.statusCode).toBe(201);
    const { trackingNumber, referralTrackingNumber } = res.json();
    const kase = await w.env.deps.db.case.findUniqueOrThrow({ where: { trackingNumber }, include: { village: true } });
    expect(kase).toMatchObject({ type: 'clue', channel: 'console', status: 'routed', applicantName: '刘大爷', reason: '独居老人，一周没出门，家里没有取暖', categories: ['elderly'] });
    expect(kase.village?.name).toBeTruthy();
    const referral = (await w.api('zaoyuan', 'GET', `/api/v1/referrals/${referralTrackingNumber}`)).json();
    expect(referral).toMatchObject({ unit: { kind: 'township', code: 'zaoyuan' }, step: 'investigate', stepLabel: '入户调查', categoryName: '困难老年人', case: { typeLabel: '主动发现线索' } });
    expect(referral.case.emergency.reporter).toMatchObject({ name: '枣园镇 赵社工', phone: '136****1111' });
    const reported = await w.env.deps.db.auditEvent.findFirstOrThrow({ where: { action: 'clue.reported', caseId: kase.id } });
    expect(reported).toMatchObject({ actorType: 'staff', actorId: w.id.zaoyuan });
  });

  it('reportClue is the same for the WeCom dialog: an unknown category goes to temporary assistance, urgent runs the urgent clock', async () => {
    const made = await reportClue(
      { ...w.deps, cipher: w.env.deps.cipher, tracking: w.env.deps.tracking },
      { townshipCode: 'bancheng', what: '河边有人露宿，天很冷', urgent: true, reporter: { name: '村协理员 钱', wecomUserId: 'bancheng_xl01' }, channel: 'wecom_app' },
      new Date(),
    );
    const r = await w.env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: made.referralTrackingNumber } });
    expect(r).toMatchObject({ category: 'temporary', urgent: true, step: 'investigate', unitKind: 'township' });
    expect(r.signDueAt.getTime() - r.createdAt.getTime()).toBe(3_600_000);
    await expect(reportClue({ ...w.deps, cipher: w.env.deps.cipher, tracking: w.env.deps.tracking }, { townshipCode: 'atlantis', what: '有人需要帮助', reporter: { name: '某人' } }, new Date())).rejects.toMatchObject({ code: 'unknown_township' });
    await expect(reportClue({ ...w.deps, cipher: w.env.deps.cipher, tracking: w.env.deps.tracking }, { townshipCode: 'bancheng', what: '短', reporter: { name: '某人' } }, new Date())).rejects.toMatchObject({ code: 'clue_invalid' });
  });
});

describe('the roster and visit log', () => {
  it('a visit moves the next one a visiting period on; late visits are listed', async () => {
    const late = await w.api('zaoyuan', 'POST', '/api/v1/roster', { name: '孙爷爷', category: 'extreme_poverty', villageCode: 'xilu', visitEveryDays: 30, firstVisitDue: '2026-01-10' });
    expect(late.statusCode).toBe(201);
    const onTime = await w.api('zaoyuan', 'POST', '/api/v1/roster', { name: '周阿姨', category: 'disability', visitEveryDays: 30 });
    const overdue = await w.api('zaoyuan', 'GET', '/api/v1/roster/overdue-visits');
    expect(overdue.json().items.map((p: { name: string }) => p.name)).toEqual(['孙爷爷']);
    expect(overdue.json().items[0]).toMatchObject({ visitOverdue: true, nextVisitDue: '2026-01-10', village: expect.any(String) });

    const future = await w.api('zaoyuan', 'POST', `/api/v1/roster/${late.json().id}/visits`, { visitedOn: '2099-01-01', findings: '还没去' });
    expect(future.statusCode).toBe(400);
    const visitedOn = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const visit = await w.api('zaoyuan', 'POST', `/api/v1/roster/${late.json().id}/visits`, { visitedOn, findings: '本人在家，取暖已落实' });
    expect(visit.statusCode).toBe(201);
    const person = (await w.api('zaoyuan', 'GET', `/api/v1/roster/${late.json().id}`)).json();
    expect(person.visitOverdue).toBe(false);
    expect(person.visits).toEqual([{ id: expect.any(String), on: visitedOn, findings: '本人在家，取暖已落实', by: '枣园镇 赵社工' }]);
    const next = new Date(Date.parse(`${visitedOn}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(person.nextVisitDue).toBe(next);
    expect((await w.api('zaoyuan', 'GET', '/api/v1/roster/overdue-visits')).json().total).toBe(0);
    const r = await w.api('zaoyuan', 'GET', '/api/v1/roster?overdue=1');
    expect(r.json().total).toBe(0);
    expect(onTime.statusCode).toBe(201);
  });

  it('townships keep their own roster; supervisors name the township; other roles cannot add', async () => {
    expect((await w.api('supervisor', 'POST', '/api/v1/roster', { name: '吴某', category: 'child' })).json().error.message).toContain('请选择镇街');
    const bySupervisor = await w.api('supervisor', 'POST', '/api/v1/roster', { name: '吴某', category: 'child', townshipCode: 'bancheng' });
    expect(bySupervisor.statusCode).toBe(201);
    expect((await w.api('zaoyuan', 'GET', `/api/v1/roster/${bySupervisor.json().id}`)).statusCode).toBe(404);
    expect((await w.api('bancheng', 'GET', `/api/v1/roster/${bySupervisor.json().id}`)).statusCode).toBe(200);
    expect((await w.api('canlian', 'POST', '/api/v1/roster', { name: '吴某', category: 'child' })).statusCode).toBe(403);
    expect((await w.api('zaoyuan', 'POST', '/api/v1/roster', { name: '吴某', category: 'child', idNumber: '110105194912310021' })).json().error.message).toContain('身份证号有误');
  });

  it('the visit register lists visits in scope', async () => {
    const csv = await w.api('zaoyuan', 'GET', '/api/v1/exports/visits.csv');
    expect(csv.body).toContain('本人在家，取暖已落实');
    expect((await w.api('bancheng', 'GET', '/api/v1/exports/visits.csv')).body).not.toContain('本人在家');
  });
});
