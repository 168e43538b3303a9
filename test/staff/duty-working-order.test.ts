import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/staff/create-staff.js';
import { plainReason } from '../../src/staff/duty-queue.js';
import { explainFailure } from '../../src/staff/job-failures.js';
import { sexOfIdNumber } from '../../src/staff/referral-view.js';
import { buildWorld, makeCase, makeConversation, type World } from './world.js';

/**
 * The duty queue in working order: one row per report (the conversation's flag and the urgent-case flag routing
 * raised for the case it opened), with the place, the category and a plain reason; taking and finishing the row moves
 * every task of the report; an ended conversation is claimed for a call back, not taken over.
 */

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => {
  await w?.close();
});

type Row = { id: string; taskIds: string[]; place: string | null; categories: string[]; reason: string; urgent: boolean; conversation: { id: string } | null };
const queue = async (who: 'duty' | 'duty2' = 'duty') => (await w.api(who, 'GET', '/api/v1/duty/tasks')).json() as { open: Row[]; mine: Row[] };

describe('the duty queue, one row per report', () => {
  it('a conversation flag and its case’s urgent flag are one row, with place, category and a plain reason', async () => {
    const { db } = w.env.deps;
    const { conversation, task } = await makeConversation(w, { urgent: true, flag: 'urgent', text: '家里着火了' });
    const kase = await makeCase(w, { conversationId: conversation.id, township: 'zaoyuan', urgent: true, categories: ['minimum_living'] });
    const caseTask = await db.dutyTask.create({ data: { kind: 'urgent', urgent: true, reason: '命中紧急词：着火', caseId: kase.id } });

    const rows = (await queue()).open.filter((r) => r.taskIds.includes(task!.id) || r.taskIds.includes(caseTask.id));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.id).toBe(task!.id);
    expect(row.taskIds.sort()).toEqual([task!.id, caseTask.id].sort());
    expect(row.place).toContain('枣园镇');
    expect(row.categories).toEqual(['最低生活保障']);
    expect(row.reason).toContain('提到：着火');
    expect(row.reason).not.toContain('命中');

    const taken = await w.api('duty', 'POST', `/api/v1/duty/tasks/${task!.id}/take`);
    expect(taken.statusCode).toBe(200);
    expect(await db.dutyTask.findUniqueOrThrow({ where: { id: caseTask.id } })).toMatchObject({ status: 'taken', takenById: w.id.duty });
    const mine = (await queue()).mine.filter((r) => r.taskIds.includes(caseTask.id));
    expect(mine).toHaveLength(1);

    expect((await w.api('duty', 'POST', `/api/v1/duty/tasks/${task!.id}/done`)).statusCode).toBe(200);
    expect(await db.dutyTask.findUniqueOrThrow({ where: { id: caseTask.id } })).toMatchObject({ status: 'done' });
  });

  it('urgent first, then the longest waiting', async () => {
    const { db } = w.env.deps;
    const at = (min: number) => new Date(Date.now() - min * 60_000);
    const a = await db.dutyTask.create({ data: { kind: 'callback', reason: '请回电', contact: '+8613911110001', createdAt: at(50) } });
    const b = await db.dutyTask.create({ data: { kind: 'urgent', urgent: true, reason: '老人摔倒', contact: '+8613911110002', createdAt: at(2) } });
    const c = await db.dutyTask.create({ data: { kind: 'urgent', urgent: true, reason: '断粮', contact: '+8613911110003', createdAt: at(40) } });
    const ids = (await queue()).open.map((r) => r.id).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(ids).toEqual([c.id, b.id, a.id]);
    await db.dutyTask.updateMany({ where: { id: { in: [a.id, b.id, c.id] } }, data: { status: 'done' } });
  });

  it('an ended conversation is claimed for a call back, not taken over', async () => {
    const { db } = w.env.deps;
    const { conversation, task } = await makeConversation(w, { flag: 'asked_for_person' });
    await db.conversation.update({ where: { id: conversation.id }, data: { status: 'closed' } });
    const res = await w.api('duty2', 'POST', `/api/v1/duty/tasks/${task!.id}/take`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'taken', takenById: w.id.duty2 });
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe('closed');
  });
});

describe('plain words for staff', () => {
  it('reasons lose the classifier’s jargon and numbers are masked', () => {
    expect(plainReason('命中紧急词：着火，来电 13812345678')).toBe('提到：着火，来电 138****5678');
  });

  it('job failures are explained in Chinese; Chinese reasons are kept', () => {
    expect(explainFailure('twilio_unavailable: Twilio Messages unreachable after 3 attempts (ECONNREFUSED)')).toMatch(/短信\/电话服务商暂时连不上/);
    expect(explainFailure('channel_not_configured: Twilio is not configured: set TWILIO_ACCOUNT_SID')).toMatch(/没有配置/);
    expect(explainFailure('job timer.fire 1 carries malformed data: bad uuid')).toMatch(/任务数据不完整/);
    expect(explainFailure('该任务已由其他值班员处理 / Another officer has it')).toBe('该任务已由其他值班员处理');
    expect(explainFailure('Something odd happened')).not.toMatch(/[A-Za-z]/);
  });

  it('性别 from the ID number, masked or not', () => {
    expect(sexOfIdNumber('11010519491231002X')).toBe('female');
    expect(sexOfIdNumber('110***********001X')).toBe('male');
    expect(sexOfIdNumber('110***********0')).toBeNull();
    expect(sexOfIdNumber(null)).toBeNull();
  });
});

describe('hotline staff add', () => {
  it('accepts a township’s name or code', async () => {
    const { db } = w.env.deps;
    const byName = await createStaff(db, { name: '枣园镇 新社工', role: 'township_staff', township: '枣园镇' });
    const short = await createStaff(db, { name: '白沙埠 新社工', role: 'township_staff', township: '白沙埠' });
    const agency = await createStaff(db, { name: '民政 新科员', role: 'agency_staff', agency: '区民政局' });
    const staff = await db.staffUser.findMany({ where: { id: { in: [byName.id, short.id, agency.id] } }, include: { township: true, agency: true } });
    expect(staff.map((s) => s.township?.code ?? s.agency?.code).sort()).toEqual(['baishabu', 'minzheng', 'zaoyuan']);
  });

  it('refuses an unknown one and lists the valid codes and names', async () => {
    await expect(createStaff(w.env.deps.db, { name: '某人', role: 'township_staff', township: '桃源镇' })).rejects.toMatchObject({
      code: 'unknown_township',
      message: expect.stringMatching(/没有编码或名称为“桃源镇”的镇街。可用的镇街：.*zaoyuan（枣园镇）/),
    });
  });
});
