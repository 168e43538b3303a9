import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKeyPerson } from '../../src/staff/key-persons.js';
import { agency, buildWorld, makeCase, makeConversation, makeReferral, township, type StaffKey, type World } from './world.js';

/**
 * Scope holds in the data layer: every staff API route that names a case, referral, conversation, duty task or
 * roster entry answers 404 for data outside the caller's scope, whatever the role, so existence never leaks.
 */

let w: World;
let data: { caseTn: string; canlianCaseTn: string; zaoyuanRef: string; canlianRef: string; windowRef: string; conversation: string; task: string; person: string; banchengCaseTn: string };

beforeAll(async () => {
  w = await buildWorld();
  const z = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
  const c = await makeReferral(w, agency('canlian'), { township: 'zaoyuan', planned: { category: 'disability' } });
  const win = await makeReferral(w, { kind: 'county_window', code: 'minzheng' });
  const conv = await makeConversation(w);
  const zaoyuanStaff = { id: w.id.zaoyuan, name: 'x', role: 'township_staff' as const, townshipId: w.env.deps.directory.townshipId('zaoyuan')!, agencyId: null };
  const person = await addKeyPerson(w.env.deps, zaoyuanStaff, { name: '刘奶奶', category: 'elderly', idNumber: '11010519491231002X', phone: '13900001111' }, new Date());
  const bancheng = await makeCase(w, { township: 'bancheng' });
  data = {
    caseTn: z.kase.trackingNumber,
    canlianCaseTn: c.kase.trackingNumber,
    zaoyuanRef: z.referral.trackingNumber,
    canlianRef: c.referral.trackingNumber,
    windowRef: win.referral.trackingNumber,
    conversation: conv.conversation.id,
    task: conv.task!.id,
    person: person.id,
    banchengCaseTn: bancheng.trackingNumber,
  };
});
afterAll(async () => {
  await w?.close();
});

type Route = [method: 'GET' | 'POST' | 'PATCH', url: string, body?: Record<string, unknown>];

const referralRoutes = (tn: string): Route[] => [
  ['GET', `/api/v1/referrals/${tn}`],
  ['POST', `/api/v1/referrals/${tn}/sign`],
  ['POST', `/api/v1/referrals/${tn}/handling`, { note: '已入户核查' }],
  ['POST', `/api/v1/referrals/${tn}/answer`, { result: '已发放临时救助金', handler: '赵社工' }],
  ['POST', `/api/v1/referrals/${tn}/return`, { reason: '不属于本单位职责' }],
  ['POST', `/api/v1/referrals/${tn}/extension`, { dueDate: '2099-01-01', reason: '需要补充材料' }],
  ['POST', `/api/v1/referrals/${tn}/extension/approve`, {}],
  ['POST', `/api/v1/referrals/${tn}/reassign`, { unit: 'township:bancheng', reason: '属地' }],
];
const caseRoutes = (tn: string): Route[] => [
  ['GET', `/api/v1/cases/${tn}`],
  ['POST', `/api/v1/cases/${tn}/full`, { reason: '核实身份' }],
];
const conversationRoutes = (id: string, task: string): Route[] => [
  ['GET', `/api/v1/conversations/${id}`],
  ['POST', `/api/v1/conversations/${id}/full`, { reason: '核实身份' }],
  ['POST', `/api/v1/conversations/${id}/take`],
  ['POST', `/api/v1/conversations/${id}/reply`, { text: '您好' }],
  ['PATCH', `/api/v1/conversations/${id}/fields`, { name: '王某' }],
  ['POST', `/api/v1/conversations/${id}/release`],
  ['POST', `/api/v1/conversations/${id}/close`],
  ['POST', `/api/v1/duty/tasks/${task}/take`],
  ['POST', `/api/v1/duty/tasks/${task}/done`],
];
const rosterRoutes = (id: string): Route[] => [
  ['GET', `/api/v1/roster/${id}`],
  ['POST', `/api/v1/roster/${id}/full`, { reason: '核实身份' }],
  ['POST', `/api/v1/roster/${id}/visits`, { visitedOn: '2026-01-05', findings: '在家，身体尚可' }],
];

async function expectAll404(who: StaffKey, routes: Route[]) {
  for (const [method, url, body] of routes) {
    const res = await w.api(who, method, url, body);
    expect({ who, method, url, status: res.statusCode }).toEqual({ who, method, url, status: 404 });
    expect(res.json().error.code).toBe('not_found');
  }
}

describe('another unit’s data is not found (404) on every route', () => {
  /** What belongs to Zaoyuan (its referral, case and roster), to the disability federation and to the county window, and conversations with their duty tasks. */
  const othersData = () => [
    ...referralRoutes(data.zaoyuanRef),
    ...referralRoutes(data.canlianRef),
    ...referralRoutes(data.windowRef),
    ...caseRoutes(data.caseTn),
    ...conversationRoutes(data.conversation, data.task),
    ...rosterRoutes(data.person),
  ];

  it('township staff: another township’s referral and case, any agency’s referral, conversations, duty tasks, another roster', async () => {
    await expectAll404('bancheng', othersData());
    await expectAll404('zaoyuan', [...referralRoutes(data.canlianRef), ...caseRoutes(data.banchengCaseTn)]);
  });

  it('agency staff: township referrals, other agencies’ referrals, the county window’s, conversations, duty tasks, rosters', async () => {
    await expectAll404('minzheng', othersData());
    await expectAll404('canlian', [...referralRoutes(data.zaoyuanRef), ...caseRoutes(data.banchengCaseTn), ...conversationRoutes(data.conversation, data.task), ...rosterRoutes(data.person)]);
  });

  it('duty officers: the township roster', async () => {
    await expectAll404('duty', rosterRoutes(data.person));
  });

  it('lists and registers leave out what is out of scope', async () => {
    const list = await w.api('bancheng', 'GET', '/api/v1/referrals?status=all');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(0);
    const mine = await w.api('zaoyuan', 'GET', '/api/v1/referrals?status=all');
    expect(mine.json().items.map((r: { trackingNumber: string }) => r.trackingNumber)).toEqual([data.zaoyuanRef]);
    const roster = await w.api('bancheng', 'GET', '/api/v1/roster');
    expect(roster.json().total).toBe(0);
    const csv = await w.api('bancheng', 'GET', '/api/v1/exports/referrals.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain(data.zaoyuanRef);
    const cases = await w.api('canlian', 'GET', '/api/v1/exports/cases.csv');
    expect(cases.body).toContain(data.canlianCaseTn);
    expect(cases.body).not.toContain(data.caseTn);
    expect(cases.body).not.toContain(data.banchengCaseTn);
  });
});

describe('roles', () => {
  it('in scope but not theirs to do: 403 with an actionable message', async () => {
    const sign = await w.api('duty', 'POST', `/api/v1/referrals/${data.zaoyuanRef}/sign`);
    expect(sign.statusCode).toBe(403);
    expect(sign.json().error.message).toMatch(/承办单位/);
    const queue = await w.api('zaoyuan', 'GET', '/api/v1/duty/tasks');
    expect(queue.statusCode).toBe(403);
    for (const url of ['/api/v1/supervision/units', '/api/v1/supervision/failed-jobs']) {
      expect((await w.api('zaoyuan', 'GET', url)).statusCode).toBe(403);
      expect((await w.api('duty', 'GET', url)).statusCode).toBe(403);
    }
    const approve = await w.api('zaoyuan', 'POST', `/api/v1/referrals/${data.zaoyuanRef}/extension/approve`, {});
    expect(approve.statusCode).toBe(403);
    const supervisorSigns = await w.api('supervisor', 'POST', `/api/v1/referrals/${data.zaoyuanRef}/sign`);
    expect(supervisorSigns.statusCode).toBe(403);
    const rosterExport = await w.api('canlian', 'GET', '/api/v1/exports/roster.xlsx');
    expect(rosterExport.statusCode).toBe(403);
  });

  it('the county sees everything: supervisors and duty officers read any referral and case', async () => {
    for (const who of ['supervisor', 'duty'] as const) {
      for (const tn of [data.zaoyuanRef, data.canlianRef, data.windowRef]) expect((await w.api(who, 'GET', `/api/v1/referrals/${tn}`)).statusCode).toBe(200);
      expect((await w.api(who, 'GET', `/api/v1/cases/${data.caseTn}`)).statusCode).toBe(200);
      expect((await w.api(who, 'GET', `/api/v1/conversations/${data.conversation}`)).statusCode).toBe(200);
    }
    expect((await w.api('supervisor', 'GET', `/api/v1/roster/${data.person}`)).statusCode).toBe(200);
  });

  it('no token, a wrong token: 401 on every staff route', async () => {
    for (const [method, url, body] of [...referralRoutes(data.zaoyuanRef), ...caseRoutes(data.caseTn), ['GET', '/api/v1/referrals'] as Route, ['GET', '/api/v1/duty/tasks'] as Route]) {
      const none = await w.env.app.inject({ method, url, ...(body ? { payload: body } : {}) });
      expect(none.statusCode).toBe(401);
      const wrong = await w.env.app.inject({ method, url, headers: { authorization: 'Bearer hl_not_a_token' }, ...(body ? { payload: body } : {}) });
      expect(wrong.statusCode).toBe(401);
    }
  });
});
