import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignedForm } from '../fakes/sign.js';
import { buildWorld, KF_ID, makeConversation, OUR_NUMBER, TWILIO, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

let sid = 0;
/** A resident's SMS through the real, signed Twilio webhook. */
async function residentSms(from: string, body: string) {
  const params = { MessageSid: `SM${String(++sid).padStart(32, '0')}`, AccountSid: TWILIO.accountSid, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0' };
  const signed = twilioSignedForm(TWILIO.authToken, 'https://hotline.example.org/channels/twilio/sms', params);
  const res = await w.env.app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: signed.headers, payload: signed.payload });
  expect(res.statusCode).toBe(200);
  return res;
}

const RESIDENT = '+8613700001234';

describe('the duty queue', () => {
  it('lists open flags urgent first, the longest waiting first within each, contacts masked', async () => {
    const { db } = w.env.deps;
    const at = (min: number) => new Date(Date.now() - min * 60_000);
    const oldUrgent = await db.dutyTask.create({ data: { kind: 'urgent', urgent: true, reason: '提到轻生', contact: '+8613911112222', createdAt: at(30) } });
    const newUrgent = await db.dutyTask.create({ data: { kind: 'urgent', urgent: true, reason: '房屋倒塌', contact: '+8613911113333', createdAt: at(5) } });
    const newest = await db.dutyTask.create({ data: { kind: 'callback', reason: '请回电补充住址', contact: '+8613911114444', createdAt: at(1) } });
    const res = await w.api('duty', 'GET', '/api/v1/duty/tasks');
    expect(res.statusCode).toBe(200);
    const ids = res.json().open.map((t: { id: string }) => t.id);
    expect(ids.slice(0, 3)).toEqual([oldUrgent.id, newUrgent.id, newest.id]);
    expect(res.json().open[1].contact).toBe('139****3333');
    expect(res.body).not.toContain('13911113333');
    for (const t of [oldUrgent, newUrgent, newest]) await db.dutyTask.update({ where: { id: t.id }, data: { status: 'done' } });
  });
});

describe('taking over a conversation and answering the resident', () => {
  let conversationId: string;

  it('a resident asking for a person by SMS appears in the queue', async () => {
    await residentSms(RESIDENT, '转人工');
    const queue = (await w.api('duty', 'GET', '/api/v1/duty/tasks')).json();
    const task = queue.open.find((t: { contact: string }) => t.contact === '137****1234');
    expect(task).toMatchObject({ kind: 'asked_for_person', kindLabel: '要求转人工', status: 'open' });
    conversationId = task.conversation.id;
    const taken = await w.api('duty', 'POST', `/api/v1/duty/tasks/${task.id}/take`);
    expect(taken.statusCode).toBe(200);
    expect(taken.json()).toMatchObject({ status: 'taken', takenById: w.id.duty, conversationId });
    const conv = await w.env.deps.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conv).toMatchObject({ status: 'staff', heldById: w.id.duty });
  });

  it('only one officer holds it: a second one is refused with who holds it', async () => {
    const res = await w.api('duty2', 'POST', `/api/v1/conversations/${conversationId}/take`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'conversation_held' });
    expect(res.json().error.message).toContain('值班员 张敏');
    const reply = await w.api('duty2', 'POST', `/api/v1/conversations/${conversationId}/reply`, { text: '您好' });
    expect(reply.statusCode).toBe(409);
  });

  it('two officers clicking at once: exactly one takes it', async () => {
    const { conversation } = await makeConversation(w);
    const results = await Promise.all([w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/take`), w.api('duty2', 'POST', `/api/v1/conversations/${conversation.id}/take`)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('while held, the bot stays quiet and the officer sees the message', async () => {
    const res = await residentSms(RESIDENT, '我家住枣园镇东路村');
    expect(res.body).not.toContain('<Message>');
    const view = (await w.api('duty', 'GET', `/api/v1/conversations/${conversationId}`)).json();
    expect(view.status).toBe('staff');
    expect(view.heldBy.name).toBe('值班员 张敏');
    expect(view.messages.at(-1)).toMatchObject({ direction: 'inbound', text: '我家住枣园镇东路村' });
    expect(view.fields.flowLabel).toBe('人工服务');
  });

  it('the officer replies by SMS through Twilio, from the number the resident wrote to', async () => {
    const res = await w.api('duty', 'POST', `/api/v1/conversations/${conversationId}/reply`, { text: '您好，我是值班员，请问您家里现在几口人？' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('sent');
    const sms = w.twilio.messages.at(-1)!;
    expect(sms).toMatchObject({ to: RESIDENT, from: OUR_NUMBER, body: '您好，我是值班员，请问您家里现在几口人？' });
    const stored = await w.env.deps.db.message.findFirstOrThrow({ where: { conversationId, direction: 'outbound' }, orderBy: { createdAt: 'desc' } });
    expect(stored).toMatchObject({ status: 'sent', providerId: sms.sid, raw: { purpose: 'staff_reply', staffName: '值班员 张敏' } });
  });

  it('a full number typed into a reply never leaves in full', async () => {
    await w.api('duty', 'POST', `/api/v1/conversations/${conversationId}/reply`, { text: '您留的号码是13812345678吗？' });
    expect(w.twilio.messages.at(-1)!.body).toBe('您留的号码是138****5678吗？');
  });

  it('a send the provider refuses is kept, marked failed and reported to the officer', async () => {
    w.twilio.failNext(1, 400);
    const res = await w.api('duty', 'POST', `/api/v1/conversations/${conversationId}/reply`, { text: '请稍等' });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('reply_not_sent');
    const view = (await w.api('duty', 'GET', `/api/v1/conversations/${conversationId}`)).json();
    expect(view.messages.at(-1)).toMatchObject({ direction: 'outbound', status: 'failed', staffName: '值班员 张敏' });
  });

  it('the officer corrects the captured fields; a wrong ID number is refused with the reason', async () => {
    const bad = await w.api('duty', 'PATCH', `/api/v1/conversations/${conversationId}/fields`, { idNumber: '110105194912310021' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('fields_invalid');
    const res = await w.api('duty', 'PATCH', `/api/v1/conversations/${conversationId}/fields`, { name: '王秀云', householdSize: 3, townshipCode: 'zaoyuan', idNumber: '11010519491231002X' });
    expect(res.statusCode).toBe(200);
    expect(res.json().fields.applicant).toMatchObject({ name: '王秀云', householdSize: 3, township: '枣园镇', idNumber: '110***********002X' });
    const audit = await w.env.deps.db.auditEvent.findFirstOrThrow({ where: { action: 'conversation.fields_edited', entityId: conversationId } });
    expect(audit.after).toEqual({ fields: ['name', 'idNumber', 'householdSize', 'townshipCode'] });
  });

  it('handing back resumes the bot: it says so on the resident’s channel and the flag is done', async () => {
    const before = w.twilio.messages.length;
    const res = await w.api('duty', 'POST', `/api/v1/conversations/${conversationId}/release`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'bot', heldBy: null });
    const sent = w.twilio.messages.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]).toMatchObject({ to: RESIDENT });
    expect(String(sent[0]!.body)).toContain('工作人员已把对话交回给我');
    const tasks = await w.env.deps.db.dutyTask.findMany({ where: { conversationId } });
    expect(tasks.every((t) => t.status === 'done')).toBe(true);
    const next = await residentSms(RESIDENT, '你好');
    expect(next.body).toContain('<Message>');
  });

  it('an emergency report the officer completes is opened and routed when handed back', async () => {
    const { conversation, task, sender } = await makeConversation(w, {
      flag: 'urgent',
      urgent: true,
      text: '着火了，奶奶在屋里',
      state: { flow: 'emergency', step: 'where', slots: { name: '王秀英' }, emergency: { what: '家里着火了，老人被困', affected: '奶奶一人', dangerNow: true, reporter: { relation: '家属' } } },
    });
    await w.api('duty', 'POST', `/api/v1/duty/tasks/${task!.id}/take`);
    const edited = await w.api('duty', 'PATCH', `/api/v1/conversations/${conversation.id}/fields`, { townshipCode: 'zaoyuan', address: '东路村三组' });
    expect(edited.json().fields.emergency).toMatchObject({ township: '枣园镇', address: '东路村三组' });
    const before = w.twilio.messages.length;
    const released = await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/release`);
    expect(released.statusCode).toBe(200);
    const kase = await w.env.deps.db.case.findFirstOrThrow({ where: { conversationId: conversation.id }, include: { referrals: true } });
    expect(kase).toMatchObject({ type: 'emergency', urgent: true });
    expect(kase.referrals.length).toBeGreaterThan(0);
    expect(kase.referrals.some((r) => r.step === 'aid_first' && r.unitKind === 'township')).toBe(true);
    const said = w.twilio.messages.slice(before).filter((m) => m.to === sender).map((m) => String(m.body)).join('');
    expect(said).toContain(kase.trackingNumber);
  });

  it('a passing channel outage leaves the reply queued for retry rather than lost', async () => {
    const { conversation } = await makeConversation(w, { flag: null });
    await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/take`);
    w.twilio.failNext(3, 503);
    const res = await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/reply`, { text: '请稍等，正在为您联系镇街' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('queued');
  });

  it('replies on WeChat customer service go back through kf/send_msg to the same account', async () => {
    const { conversation, sender, task } = await makeConversation(w, { channel: 'wecom_kf', text: '我想找人工' });
    expect((await w.api('duty', 'POST', `/api/v1/duty/tasks/${task!.id}/take`)).statusCode).toBe(200);
    const res = await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/reply`, { text: '您好，请讲。' });
    expect(res.statusCode).toBe(200);
    expect(w.wecom.sent.at(-1)).toMatchObject({ api: 'kf/send_msg', toUser: sender, openKfId: KF_ID, content: '您好，请讲。' });
  });

  it('replies to a WeCom member go through the app (message/send)', async () => {
    const { conversation, sender } = await makeConversation(w, { channel: 'wecom_app', flag: null });
    await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/take`);
    expect((await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/reply`, { text: '收到' })).statusCode).toBe(200);
    expect(w.wecom.sent.at(-1)).toMatchObject({ api: 'message/send', toUser: sender, content: '收到' });
  });

  it('closing ends the conversation and its flags; the holder or a supervisor may close', async () => {
    const { conversation } = await makeConversation(w);
    await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/take`);
    expect((await w.api('duty2', 'POST', `/api/v1/conversations/${conversation.id}/close`)).statusCode).toBe(409);
    const res = await w.api('supervisor', 'POST', `/api/v1/conversations/${conversation.id}/close`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('closed');
    const tasks = await w.env.deps.db.dutyTask.findMany({ where: { conversationId: conversation.id } });
    expect(tasks.map((t) => t.status)).toEqual(['done']);
    const reply = await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/reply`, { text: '还在吗' });
    expect(reply.json().error.code).toBe('conversation_closed');
  });

  it('callbacks without a conversation are claimed and finished', async () => {
    const t = await w.env.deps.db.dutyTask.create({ data: { kind: 'callback', reason: '请回电补充住址', contact: '+8613955556666' } });
    expect((await w.api('duty', 'POST', `/api/v1/duty/tasks/${t.id}/take`)).json()).toMatchObject({ status: 'taken', takenById: w.id.duty });
    expect((await w.api('duty2', 'POST', `/api/v1/duty/tasks/${t.id}/take`)).statusCode).toBe(409);
    expect((await w.api('duty', 'POST', `/api/v1/duty/tasks/${t.id}/done`)).json().status).toBe('done');
  });

  it('no full phone or ID number reached the logs', () => {
    const logs = w.env.logs.join('');
    expect(logs).not.toContain('13700001234');
    expect(logs).not.toContain('11010519491231002X');
  });
});
