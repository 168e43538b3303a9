import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/staff/create-staff.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { query } from '../helpers/pg.js';
import { smsResident } from '../helpers/sms-resident.js';

const SID = 'AC00000000000000000000000000000003';
const TOKEN = 'e2e-token';
let env: TestEnv;
let token: string;

beforeAll(async () => {
  env = await createTestEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_NUMBER_12349: '+8653912349' });
  token = (await createStaff(env.deps.db, { name: '督导', role: 'supervisor' })).token;
});
afterAll(() => env?.close());

const say = smsResident(() => env, { sid: SID, token: TOKEN, to: '+8653912349' });

const readCase = (tn: string) =>
  env.app.inject({ method: 'GET', url: `/api/v1/cases/${tn}`, headers: { authorization: `Bearer ${token}` } });

const trackingIn = (text: string) => /承办编号[：:]\s*([0-9A-Z-]+)/.exec(text)?.[1];

describe('an application by SMS, end to end through the real webhook', () => {
  let trackingNumber: string;

  it('one message in traditional characters fills the form; a correction at the summary; confirmation opens one case', async () => {
    const from = '+8613800138111';
    expect(await say(from, '我叫王秀英，身份證11010519491231002X，家裡三口人，住棗園鎮東魯村，想申請低保，老伴癱瘓在床')).toMatch(/138\*\*\*\*8111/);
    expect(await say(from, '是')).toMatch(/替别人申请/);
    expect(await say(from, '1')).toMatch(/授权/);
    expect(await say(from, '同意')).toMatch(/最后问一句/);
    const summary = await say(from, '没有');
    expect(summary).toMatch(/110\*\*\*\*\*\*\*\*\*\*\*002X/);
    expect(summary).not.toMatch(/11010519491231002X/);
    expect(await say(from, '不对，是四口人')).toMatch(/家庭人口：4人/);
    const receipt = await say(from, '对');
    trackingNumber = trackingIn(receipt)!;
    expect(trackingNumber).toMatch(/^\d{12}$/);
    expect(await env.deps.db.case.count({ where: { phone: '13800138111' } })).toBe(1);
  });

  it('the case reads back through the staff API with masked personal data and routed referrals', async () => {
    const res = await readCase(trackingNumber);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({
      trackingNumber,
      type: 'application',
      urgent: false,
      applicant: { name: '王秀英', idNumberMasked: '110***********002X', phoneMasked: '138****8111', householdSize: 4, township: '枣园镇', village: '东鲁村' },
      consent: { given: true },
    });
    expect(c.categories[0]).toBe('minimum_living');
    expect(c.consent.at).toMatch(/^\d{4}-/);
    // 低保 goes to the township to investigate and to the county agency to approve.
    expect(c.referrals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ township: '枣园镇', category: 'minimum_living', step: 'investigate' }),
        expect.objectContaining({ agency: '区民政局', category: 'minimum_living' }),
      ]),
    );
    expect(c.status).toBe('routed');
  });

  it('stores the ID number encrypted (no plaintext in the column) with a lookup hash', async () => {
    const rows = await query<{ idNumberEnc: string; idNumberHash: string }>(env.databaseUrl, `SELECT "idNumberEnc", "idNumberHash" FROM "Case" WHERE "trackingNumber" = $1`, [trackingNumber]);
    expect(rows[0]!.idNumberEnc).toMatch(/^v1:/);
    expect(rows[0]!.idNumberEnc).not.toContain('11010519491231002X');
    expect(rows[0]!.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
    expect(env.deps.cipher.decrypt(rows[0]!.idNumberEnc)).toBe('11010519491231002X');
  });

  it('a second application for the same matter by the same person is merged (并单) and told the first tracking number', async () => {
    const from = '+8613800138111';
    await say(from, '重来');
    await say(from, '我叫王秀英，身份证11010519491231002X，家里四口人，住枣园镇东鲁村，想申请低保');
    await say(from, '是');
    await say(from, '1');
    await say(from, '同意');
    await say(from, '没有');
    const receipt = await say(from, '对');
    expect(receipt).toContain(trackingNumber);
    expect(receipt).toMatch(/合并/);
    const merged = await env.deps.db.case.findFirstOrThrow({ where: { status: 'merged' }, include: { mergedInto: true } });
    expect(merged.mergedInto?.trackingNumber).toBe(trackingNumber);
    expect(await env.deps.db.referral.count({ where: { caseId: merged.id } })).toBe(0);
  });

  it('an unknown tracking number or a missing token gets a clear error', async () => {
    expect((await readCase('000000000000')).statusCode).toBe(404);
    const anon = await env.app.inject({ method: 'GET', url: `/api/v1/cases/${trackingNumber}` });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('unauthorized');
  });

  it('no full ID or phone number appears in any log line of the run', () => {
    const all = env.logs.join('');
    expect(all).not.toMatch(/11010519491231002X|13800138111/);
  });
});
