import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, ID_NUMBER, makeConversation, makeReferral, PHONE, township, type World } from './world.js';

/** Personal data is masked by default; seeing it in full is an explicit, reasoned, audited act. */

let w: World;
let caseTn: string;
let caseId: string;
beforeAll(async () => {
  w = await buildWorld();
  const { kase } = await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
  caseTn = kase.trackingNumber;
  caseId = kase.id;
});
afterAll(async () => {
  await w?.close();
});

const audits = (action: string) => w.env.deps.db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } });

describe('cases', () => {
  it('are masked by default (ID 110***********002X, phone 138****5678)', async () => {
    for (const who of ['supervisor', 'duty', 'zaoyuan'] as const) {
      const res = await w.api(who, 'GET', `/api/v1/cases/${caseTn}`);
      expect(res.json().applicant).toMatchObject({ idNumberMasked: '110***********002X', phoneMasked: '138****5678' });
      expect(res.body).not.toContain(ID_NUMBER);
      expect(res.body).not.toContain(PHONE);
    }
  });

  it('in full only with a reason, and each full view is audited: who, when, why, what', async () => {
    const noReason = await w.api('zaoyuan', 'POST', `/api/v1/cases/${caseTn}/full`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('reason_required');
    expect(await audits('personal_data.viewed')).toHaveLength(0);

    const res = await w.api('zaoyuan', 'POST', `/api/v1/cases/${caseTn}/full`, { reason: '入户核实身份' });
    expect(res.statusCode).toBe(200);
    expect(res.json().applicant).toMatchObject({ idNumber: ID_NUMBER, phone: PHONE });
    const [event] = await audits('personal_data.viewed');
    expect(event).toMatchObject({ actorType: 'staff', actorId: w.id.zaoyuan, caseId, entity: 'case', entityId: caseId, reason: '入户核实身份', after: { fields: ['idNumber', 'phone'], role: 'township_staff' } });
    expect(Date.now() - event!.at.getTime()).toBeLessThan(60_000);
  });
});

describe('conversations', () => {
  it('mask numbers a resident typed, in the transcript and the captured fields; in full with a reason, audited', async () => {
    const { conversation, sender } = await makeConversation(w, { text: '我的身份证11010519491231002X，电话13812345678', state: { flow: 'application', step: 'phone', slots: { name: '王秀云', idNumber: ID_NUMBER, phone: PHONE } } });
    const masked = await w.api('duty', 'GET', `/api/v1/conversations/${conversation.id}`);
    expect(masked.body).not.toContain(ID_NUMBER);
    expect(masked.body).not.toContain(PHONE);
    expect(masked.body).not.toContain(sender.slice(3));
    expect(masked.json().messages[0].text).toBe('我的身份证110***********002X，电话138****5678');
    expect(masked.json().fields.applicant).toMatchObject({ idNumber: '110***********002X', phone: '138****5678' });

    const full = await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/full`, { reason: '核对居民报的身份证号' });
    expect(full.json().fields.applicant).toMatchObject({ idNumber: ID_NUMBER, phone: PHONE });
    expect(full.json().resident).toBe(sender);
    expect((await audits('personal_data.viewed')).at(-1)).toMatchObject({ actorId: w.id.duty, entity: 'conversation', entityId: conversation.id, reason: '核对居民报的身份证号' });
  });

  it('numbers in the resident’s own words (reason, address), spoken or dotted, are masked too; a masked value sent back unchanged keeps the original', async () => {
    const reason = '老伴瘫痪，有事打我儿子幺三八洞洞幺三八洞洞洞';
    const address = '东鲁村，门口电话0539.8123456';
    const { conversation } = await makeConversation(w, { text: '电话138.0013.8000', state: { flow: 'application', step: 'phone', slots: { name: '王秀云', reason, address } } });
    const masked = await w.api('duty', 'GET', `/api/v1/conversations/${conversation.id}`);
    expect(masked.json().messages[0].text).toBe('电话138****8000');
    expect(masked.json().fields.applicant).toMatchObject({ reason: '老伴瘫痪，有事打我儿子幺三八****八洞洞洞', address: '东鲁村，门口电话053****3456' });
    expect(masked.body).not.toContain('8123456');

    // The console's edit form is filled from this view: saving it as shown must not write the stars over the words.
    await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/take`);
    const saved = await w.api('duty', 'PATCH', `/api/v1/conversations/${conversation.id}/fields`, { reason: masked.json().fields.applicant.reason, address: masked.json().fields.applicant.address, householdSize: 2 });
    expect(saved.statusCode).toBe(200);
    const full = await w.api('duty', 'POST', `/api/v1/conversations/${conversation.id}/full`, { reason: '核对联系方式' });
    expect(full.json().fields.applicant).toMatchObject({ reason, address, householdSize: 2 });
  });
});

describe('the key-person roster', () => {
  it('stores the ID number encrypted, shows it masked, in full only with a reason', async () => {
    const made = await w.api('zaoyuan', 'POST', '/api/v1/roster', { name: '刘奶奶', category: 'elderly', idNumber: '440524188001010014', phone: '13900001111', visitEveryDays: 14 });
    expect(made.statusCode).toBe(201);
    const row = await w.env.deps.db.keyPerson.findUniqueOrThrow({ where: { id: made.json().id } });
    expect(row.idNumberEnc).not.toContain('440524188001010014');
    const list = await w.api('zaoyuan', 'GET', '/api/v1/roster');
    expect(list.json().items[0]).toMatchObject({ name: '刘奶奶', idNumberMasked: '440***********0014', phoneMasked: '139****1111' });
    expect(list.body).not.toContain('440524188001010014');
    const full = await w.api('zaoyuan', 'POST', `/api/v1/roster/${row.id}/full`, { reason: '办理高龄津贴' });
    expect(full.json()).toMatchObject({ idNumber: '440524188001010014', phone: '13900001111' });
    expect((await audits('personal_data.viewed')).at(-1)).toMatchObject({ entity: 'key_person', entityId: row.id, reason: '办理高龄津贴' });
  });
});

describe('registers (台账)', () => {
  it('export masked by default, as XLSX and CSV', async () => {
    const xlsx = await w.api('zaoyuan', 'GET', '/api/v1/exports/cases.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent('受理台账'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('受理台账')!;
    expect(sheet.getRow(1).values).toContain('身份证号');
    const values = JSON.stringify(sheet.getRow(2).values);
    expect(values).toContain('110***********002X');
    expect(values).not.toContain(ID_NUMBER);

    const csv = await w.api('zaoyuan', 'GET', '/api/v1/exports/referrals.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF转办编号,承办编号')).toBe(true);
    expect(csv.body).toContain('138****5678');
    expect(csv.body).not.toContain(PHONE);
  });

  it('numbers in free text (a reason, a result) are masked in a default export, and kept in a full one', async () => {
    await w.env.deps.db.case.update({ where: { id: caseId }, data: { reason: '丈夫去年病故，有事打幺三八洞洞幺三八洞洞洞或0539.8123456' } });
    const csv = await w.api('zaoyuan', 'GET', '/api/v1/exports/cases.csv');
    expect(csv.body).toContain('丈夫去年病故，有事打幺三八****八洞洞洞或053****3456');
    expect(csv.body).not.toContain('8123456');
  });

  it('in full only with a reason; the export is audited with the register and row count', async () => {
    expect((await w.api('zaoyuan', 'POST', '/api/v1/exports/cases.csv', { reason: '' })).statusCode).toBe(400);
    const csv = await w.api('zaoyuan', 'POST', '/api/v1/exports/cases.csv', { reason: '月度核对报区民政局' });
    expect(csv.body).toContain(ID_NUMBER);
    expect(csv.body).toContain(PHONE);
    expect((await audits('personal_data.exported')).at(-1)).toMatchObject({ actorId: w.id.zaoyuan, entityId: 'cases', reason: '月度核对报区民政局', after: { ledger: 'cases', rows: 1 } });
  });

  it('a cell that would run as a spreadsheet formula is written as text', async () => {
    await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', name: '=HYPERLINK("http://x")' });
    const csv = await w.api('zaoyuan', 'GET', '/api/v1/exports/cases.csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

it('no full ID or phone number reached the logs', () => {
  const logs = w.env.logs.join('');
  expect(logs).not.toContain(ID_NUMBER);
  expect(logs).not.toContain(PHONE);
});
