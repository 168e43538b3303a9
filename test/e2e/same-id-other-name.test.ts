import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/staff/create-staff.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { smsResident } from '../helpers/sms-resident.js';

/**
 * Issue 14, item 14, through the real webhook, runner and database: an application giving an ID number already known
 * under another name is asked about before it is submitted; the answer is recorded on the case (a note staff read) and
 * decides the merge.
 */

const SID = 'AC00000000000000000000000000000014';
const TOKEN = 'same-id-token';
const ID = '11010519491231002X';
let env: TestEnv;
let token: string;

beforeAll(async () => {
  env = await createTestEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_NUMBER_12349: '+8653912349' });
  token = (await createStaff(env.deps.db, { name: '值班员', role: 'duty_officer' })).token;
});
afterAll(() => env?.close());

const say = smsResident(() => env, { sid: SID, token: TOKEN, to: '+8653912349' });

const staffCase = async (tn: string) => (await env.app.inject({ method: 'GET', url: `/api/v1/cases/${tn}`, headers: { authorization: `Bearer ${token}` } })).json();
const trackingIn = (text: string) => /承办编号[：:]\s*(\d{12})/.exec(text)?.[1];
const hash = () => env.deps.cipher.lookupHash(ID);

/** Phone, relation, consent, "没有" to the safety question and the read-back confirmed: the receipt. */
async function finish(from: string) {
  await say(from, '是');
  await say(from, '1');
  expect(await say(from, '同意')).toContain('最后问一句');
  expect(await say(from, '没有')).toContain('请核对您的申请');
  return say(from, '对');
}

let first: string;

describe('the same ID number under another name', () => {
  it('first application: nothing on record, nothing asked', async () => {
    const from = '+8613800138111';
    const reply = await say(from, `我叫王秀英，身份证${ID}，家里三口人，住枣园镇东鲁村，想申请低保，老伴瘫痪在床`);
    expect(reply).not.toContain('登记的名字');
    first = trackingIn(await finish(from))!;
    expect(first).toBeDefined();
    expect((await staffCase(first)).notes).toEqual([]);
  });

  it('another name: asked before submitting, never told the name on record', async () => {
    const from = '+8613900139222';
    const reply = await say(from, `我叫刘桂兰，身份证${ID}，家里三口人，住枣园镇东鲁村，想申请低保，家里没有收入`);
    expect(reply).toContain('这个身份证号之前登记过，登记的名字和您这次说的不一样');
    expect(reply).not.toContain('王秀英');
    expect(reply).not.toContain(first);
    // Until answered, nothing is submitted.
    expect(await env.deps.db.case.count({ where: { idNumberHash: hash() } })).toBe(1);
  });

  it('"the same person": recorded on the case, merged into the open matter, the name on record brought up to date', async () => {
    const from = '+8613900139222';
    expect(await say(from, '是同一个人，以前登记的名字写错了')).toContain('记下了：是同一个人');
    const receipt = await finish(from);
    expect(receipt).toContain(`合并到该申请（编号${first}）`);
    const merged = await env.deps.db.case.findFirstOrThrow({ where: { idNumberHash: hash(), status: 'merged' } });
    expect(merged.applicantName).toBe('刘桂兰');
    const resident = await env.deps.db.resident.findUniqueOrThrow({ where: { idNumberHash: hash() } });
    expect(resident.name).toBe('刘桂兰');
    const note = await env.deps.db.auditEvent.findFirstOrThrow({ where: { caseId: merged.id, action: 'case.identity_checked' } });
    expect(note).toMatchObject({ actorType: 'resident', after: { mismatch: true, answer: 'same_person', merged: true } });
    expect(note.reason).toContain('居民答复：是同一个人，姓名以本次为准');
    expect(note.reason).toContain(`已并入${first}`);
    const view = await staffCase(merged.trackingNumber);
    expect(view.notes).toEqual([{ at: expect.any(String), text: note.reason }]);
  });

  it('"not the same person": kept apart and routed on its own, the record left as it was, flagged for staff', async () => {
    const from = '+8613700137333';
    expect(await say(from, `我叫张翠花，身份证${ID}，家里两口人，住枣园镇东鲁村，想申请低保，没有收入`)).toContain('登记的名字和您这次说的不一样');
    expect(await say(from, '不是同一个人')).toContain('这次申请单独登记');
    const receipt = await finish(from);
    const tn = trackingIn(receipt)!;
    expect(receipt).not.toContain('合并');
    const c = await env.deps.db.case.findUniqueOrThrow({ where: { trackingNumber: tn }, include: { links: true, referrals: true } });
    expect(c.status).toBe('routed');
    expect(c.mergedIntoId).toBeNull();
    expect(c.applicantName).toBe('张翠花');
    expect(c.referrals.length).toBeGreaterThan(0);
    expect(c.links.map((l) => l.kind)).toEqual(expect.arrayContaining(['unconfirmed_person']));
    expect(c.links.every((l) => l.kind === 'unconfirmed_person')).toBe(true);
    // The person on record keeps their name, and this phone is not tied to them.
    const resident = await env.deps.db.resident.findUniqueOrThrow({ where: { idNumberHash: hash() } });
    expect(resident.name).toBe('刘桂兰');
    const identity = await env.deps.db.channelIdentity.findFirstOrThrow({ where: { address: from } });
    expect(identity.residentId).toBeNull();
    const view = await staffCase(tn);
    expect(view.notes).toHaveLength(1);
    expect(view.notes[0].text).toContain('居民答复：不是同一个人');
    expect(view.notes[0].text).toContain('未并单');
    expect(view.notes[0].text).not.toMatch(/刘桂兰|王秀英/);
    const task = await env.deps.db.dutyTask.findFirstOrThrow({ where: { kind: 'callback', conversation: { identity: { address: from } } } });
    expect(task.reason).toContain('居民称不是同一个人');
  });

  it('"the ID number was wrong": asked again; the new number goes on the case, with a note that it was given again', async () => {
    const from = '+8613600136444';
    expect(await say(from, `我叫孙玉珍，身份证${ID}，家里两口人，住枣园镇东鲁村，想申请低保，没有收入`)).toContain('登记的名字和您这次说的不一样');
    expect(await say(from, '2')).toContain('请告诉我申请人的身份证号');
    expect(await say(from, '371311195603150044')).toContain('是否用您现在这个号码');
    const tn = trackingIn(await finish(from))!;
    const c = await env.deps.db.case.findUniqueOrThrow({ where: { trackingNumber: tn } });
    expect(c.idNumberHash).toBe(env.deps.cipher.lookupHash('371311195603150044'));
    expect(c.status).toBe('routed');
    const view = await staffCase(tn);
    expect(view.notes[0].text).toContain('居民称身份证号说错了，已重新报号');
  });

  it('no full ID number reached the logs or the replies staged', async () => {
    const logs = env.logs.join('');
    expect(logs).not.toContain(ID);
    const outbound = await env.deps.db.message.findMany({ where: { direction: 'outbound' }, select: { text: true } });
    expect(outbound.some((m) => m.text.includes('登记的名字'))).toBe(true);
    for (const m of outbound) expect(m.text).not.toContain(ID);
  });
});
