import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerReferral, signReferral, startReferral } from '../../src/referrals/index.js';
import { createStaff } from '../../src/staff/create-staff.js';
import { twilioSignedForm } from '../fakes/sign.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';

const SID = 'AC00000000000000000000000000000005';
const TOKEN = 'follow-up-token';
let env: TestEnv;
let seq = 0;

beforeAll(async () => {
  env = await createTestEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_NUMBER_12349: '+8653912349' });
});
afterAll(() => env?.close());

async function sms(from: string, body: string) {
  const params = { MessageSid: `SM${String(++seq).padStart(32, 'f')}`, AccountSid: SID, From: from, To: '+8653912349', Body: body, NumMedia: '0' };
  const signed = twilioSignedForm(TOKEN, 'https://hotline.example.org/channels/twilio/sms', params);
  const res = await env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: signed.headers, payload: signed.payload });
  return readTwiml(res.body).messages.join('\n');
}

/** Applies by SMS, then the agency answers its referral and the follow-up question goes out. */
async function answeredReferral(from: string, id: string) {
  for (const line of [`我叫赵桂兰，身份证${id}，家里两口人，住枣园镇东鲁村，孩子上不起学，想申请教育救助`, '是', '1', '同意', '没有', '对']) await sms(from, line);
  const c = await env.deps.db.case.findFirstOrThrow({ where: { phone: from.slice(3) }, include: { referrals: true } });
  const lead = c.referrals.find((r) => r.role === 'lead')!;
  const staff = await createStaff(env.deps.db, { name: '教体局干事', role: 'agency_staff', agency: 'jiaoti' });
  const actor = { type: 'staff' as const, id: staff.id, role: 'agency_staff' as const };
  const now = new Date();
  await signReferral(env.deps.referrals, { trackingNumber: lead.trackingNumber, actor, now });
  await startReferral(env.deps.referrals, { trackingNumber: lead.trackingNumber, actor, now });
  await answerReferral(env.deps.referrals, { trackingNumber: lead.trackingNumber, actor, now, feedback: { result: '已发放教育救助金2000元', handler: '王干事' } });
  // The follow-up timer has fired: the question was sent.
  await env.deps.db.referralTimer.updateMany({ where: { referralId: lead.id, step: 'follow_up' }, data: { firedAt: new Date() } });
  return lead.trackingNumber;
}

describe('the resident answers the follow-up question by SMS', () => {
  it('"不满意" reopens the referral and tells the resident it was handed back', async () => {
    const from = '+8613500135001';
    const tn = await answeredReferral(from, '440524188001010014');
    const reply = await sms(from, '不满意，钱还没收到');
    expect(reply).toMatch(/重新交办/);
    const r = await env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: tn } });
    expect(r).toMatchObject({ status: 'in_progress', satisfaction: 'not_satisfied', reopenCount: 1, satisfactionNote: '不满意，钱还没收到' });
    expect(await env.deps.db.dutyTask.count({ where: { kind: 'escalation', caseId: r.caseId } })).toBe(1);
  });

  it('"满意" closes it; a later message starts an ordinary conversation again', async () => {
    const from = '+8613500135002';
    const tn = await answeredReferral(from, '11010519491231002X');
    expect(await sms(from, '满意')).toMatch(/感谢您的评价/);
    const r = await env.deps.db.referral.findUniqueOrThrow({ where: { trackingNumber: tn } });
    expect(r.status).toBe('closed');
    expect(await sms(from, '满意')).not.toMatch(/感谢您的评价/);
  });
});
