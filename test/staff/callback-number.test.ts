import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../console/session.js';
import { buildWorld, makeCase, makeConversation, type World } from './world.js';

/**
 * Issue 14, item 15: staff must be able to call a reporter back. The callback numbers (the case's contact phone, the
 * reporter's and the affected people's numbers from an emergency report, the number the resident texted from) are
 * masked in every default view and shown in full in the audited full view of a case.
 */

const REPORTER = '13700001111';
const AFFECTED = '13600002222';

let w: World;
let tn: string;
let caseId: string;
let sender: string;

beforeAll(async () => {
  w = await buildWorld();
  const made = await makeConversation(w, { flag: null, text: '隔壁王大爷摔倒了起不来' });
  sender = made.sender;
  // An emergency reported by a neighbour by SMS, with no contact phone of its own on the case.
  const kase = await makeCase(w, { type: 'emergency', township: 'zaoyuan', phone: null, idNumber: null, conversationId: made.conversation.id, name: '王大爷' });
  await w.env.deps.db.case.update({
    where: { id: kase.id },
    data: { emergency: { what: '老人摔倒起不来', affected: '隔壁王大爷', contact: AFFECTED, dangerNow: true, reporter: { relation: '邻居', name: '李婶', phone: REPORTER } } },
  });
  tn = kase.trackingNumber;
  caseId = kase.id;
});
afterAll(async () => {
  await w?.close();
});

const viewed = () => w.env.deps.db.auditEvent.findMany({ where: { action: 'personal_data.viewed', caseId }, orderBy: { id: 'asc' } });
const national = (n: string) => n.replace(/^\+86/, '');

describe('the callback numbers of a case', () => {
  it('are masked in the default view; the number texted from only for the county’s duty roles', async () => {
    const duty = await w.api('duty', 'GET', `/api/v1/cases/${tn}`);
    expect(duty.statusCode).toBe(200);
    expect(duty.json().callback).toEqual([
      { kind: 'reporter', label: '报告人电话', number: '137****1111' },
      { kind: 'affected', label: '当事人联系方式', number: '136****2222' },
      { kind: 'caller', label: '来电号码', number: `${national(sender).slice(0, 3)}****${sender.slice(-4)}` },
    ]);
    const township = await w.api('zaoyuan', 'GET', `/api/v1/cases/${tn}`);
    expect(township.json().callback.map((n: { kind: string }) => n.kind)).toEqual(['reporter', 'affected']);
    for (const body of [duty.body, township.body]) {
      expect(body).not.toContain(REPORTER);
      expect(body).not.toContain(AFFECTED);
      expect(body).not.toContain(national(sender));
    }
    expect(await viewed()).toHaveLength(0);
  });

  it('are shown in full to a duty officer in the full view, which is audited with who, why and which numbers', async () => {
    const res = await w.api('duty', 'POST', `/api/v1/cases/${tn}/full`, { reason: '回电核实老人情况' });
    expect(res.statusCode).toBe(200);
    expect(res.json().callback).toEqual([
      { kind: 'reporter', label: '报告人电话', number: REPORTER },
      { kind: 'affected', label: '当事人联系方式', number: AFFECTED },
      { kind: 'caller', label: '来电号码', number: national(sender) },
    ]);
    const [event] = await viewed();
    expect(event).toMatchObject({
      actorType: 'staff',
      actorId: w.id.duty,
      entity: 'case',
      entityId: caseId,
      reason: '回电核实老人情况',
      after: { fields: ['callback.reporter', 'callback.affected', 'callback.caller'], role: 'duty_officer' },
    });
  });

  it('township staff in scope see the case’s own numbers in full, never the number texted from; out of scope it is not found', async () => {
    const res = await w.api('zaoyuan', 'POST', `/api/v1/cases/${tn}/full`, { reason: '入户前联系报告人' });
    expect(res.json().callback).toEqual([
      { kind: 'reporter', label: '报告人电话', number: REPORTER },
      { kind: 'affected', label: '当事人联系方式', number: AFFECTED },
    ]);
    expect(res.body).not.toContain(national(sender));
    expect((await viewed()).at(-1)).toMatchObject({ actorId: w.id.zaoyuan, after: { fields: ['callback.reporter', 'callback.affected'] } });
    expect((await w.api('bancheng', 'POST', `/api/v1/cases/${tn}/full`, { reason: '看看' })).statusCode).toBe(404);
  });

  it('without a reason there is no full view and no trail entry', async () => {
    const before = (await viewed()).length;
    expect((await w.api('duty', 'POST', `/api/v1/cases/${tn}/full`, { reason: '' })).statusCode).toBe(400);
    expect(await viewed()).toHaveLength(before);
  });

  it('in the console: masked on the case page, in full after the duty officer states why', async () => {
    const s = await signIn(w, 'duty');
    const page = await s.get(`/console/cases/${tn}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('回电号码');
    expect(page.body).toContain('报告人电话 137****1111');
    expect(page.body).not.toContain(REPORTER);
    const before = (await viewed()).length;
    const full = await s.post(`/console/cases/${tn}/full`, { reason: '联系报告人' });
    expect(full.statusCode).toBe(200);
    expect(full.body).toContain(`报告人电话 ${REPORTER}`);
    expect(full.body).toContain(`来电号码 ${national(sender)}`);
    expect(full.body).toContain('本次查看已记录');
    expect(await viewed()).toHaveLength(before + 1);
  });
});

it('no full callback number reached the logs', () => {
  const logs = w.env.logs.join('');
  expect(logs).not.toContain(REPORTER);
  expect(logs).not.toContain(AFFECTED);
});
