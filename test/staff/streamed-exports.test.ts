import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/staff/create-staff.js';
import { ledgerCsvStream, ledgerXlsxStream } from '../../src/staff/export-files.js';
import { openLedger, type Cell, type Row, type Sheet } from '../../src/staff/ledgers.js';
import type { StaffPrincipal } from '../../src/staff/principal.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { query } from '../helpers/pg.js';

/**
 * Registers are paged through the database (keyset, 1,000 rows a page) and streamed into the response: every row
 * arrives once, the bytes are those the in-memory export wrote before, formulas stay inert, a full export is still
 * audited, and a writer whose client does not read stops reading pages. (Memory under six large exports at once is
 * measured by the bench: bench/exports.ts.)
 */
let env: TestEnv;
let token: string;
const BIG = 2_600; // cases in 枣园镇: three pages
const ID_NUMBER = '11010519491231002X';

beforeAll(async () => {
  env = await createTestEnv();
  token = (await createStaff(env.deps.db, { name: '县督办 李主任', role: 'supervisor' })).token;
  const url = env.databaseUrl;
  await query(
    url,
    `INSERT INTO "Case" (id, "trackingNumber", type, status, categories, channel, "applicantName", "idNumberMasked", phone, "townshipId", address, reason, "updatedAt")
     SELECT gen_random_uuid(), 'Z' || lpad(g::text, 6, '0'), 'application', 'routed', ARRAY['minimum_living'], 'sms', '居民' || g, '371***********' || lpad((g % 10000)::text, 4, '0'),
            '138' || lpad(g::text, 8, '0'), (SELECT id FROM "Township" WHERE code = 'zaoyuan'), '东鲁村' || g || '号', '老伴瘫痪在床，' || g, now()
       FROM generate_series(1, ${BIG}) g`,
  );
  await query(
    url,
    `INSERT INTO "Referral" (id, "caseId", "trackingNumber", category, role, step, "unitKind", "townshipId", status, "signDueAt", "dueAt", "updatedAt")
     SELECT gen_random_uuid(), c.id, c."trackingNumber" || '-1', 'minimum_living', 'lead', 'investigate', 'township', c."townshipId", 'dispatched', now() + interval '1 day', now() + interval '10 days', now()
       FROM "Case" c WHERE c."trackingNumber" LIKE 'Z%'`,
  );
  // A few cases in 半程镇 with the values a CSV or a spreadsheet must take care of.
  const tricky = ['=HYPERLINK("http://x")', '+86 138', '-2', '@SUM(A1)', '王"小"二', '张三,李四', '第一行\r\n第二行', null];
  for (const [i, name] of tricky.entries()) {
    await query(
      url,
      `INSERT INTO "Case" (id, "trackingNumber", type, status, categories, channel, "applicantName", "idNumberEnc", "idNumberMasked", phone, "townshipId", reason, "householdSize", "updatedAt")
       VALUES (gen_random_uuid(), $1, 'application', 'routed', ARRAY['temporary','medical'], 'wecom_app', $2, $3, '110***********002X', '13812345678', (SELECT id FROM "Township" WHERE code = 'bancheng'), $4, $5, now())`,
      [`B00000${i}`, name, env.deps.cipher.encrypt(ID_NUMBER), i % 2 ? '有事打13812345678' : '=1+1', i],
    );
  }
}, 120_000);
afterAll(() => env?.close());

const get = (path: string) => env.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
const post = (path: string, payload: unknown) => env.app.inject({ method: 'POST', url: path, payload: payload as object, headers: { authorization: `Bearer ${token}` } });
const dbNumbers = async (table: 'Case' | 'Referral') => (await query<{ n: string }>(env.databaseUrl, `SELECT "trackingNumber" AS n FROM "${table}" ORDER BY id`)).map((r) => r.n);

/** CSV lines (a quoted cell may hold a line break): enough for counting rows whose first cell is never quoted. */
const csvFirstCells = (body: string) => body.replace(/^\uFEFF/, '').split('\r\n').filter((l) => /^[ZB]\d{6}/.test(l)).map((l) => l.split(',')[0]!);

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer | string));
  return Buffer.concat(chunks);
}

async function workbook(payload: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('every row, once, in id order', () => {
  it('cases as CSV: three pages of 1,000, all there', async () => {
    const res = await get('/api/v1/exports/cases.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const cells = csvFirstCells(res.body);
    expect(cells).toEqual((await dbNumbers('Case')).filter((n) => n.startsWith('Z') || n.startsWith('B')));
    expect(cells).toHaveLength(BIG + 8);
    expect(res.body).not.toContain('13812345678');
  });

  it('referrals as XLSX: all there', async () => {
    const res = await get('/api/v1/exports/referrals.xlsx');
    expect(res.statusCode).toBe(200);
    const sheet = await workbook(res.rawPayload);
    const numbers: string[] = [];
    sheet.eachRow((row, i) => i > 1 && numbers.push(String(row.getCell(1).value)));
    expect(numbers).toEqual(await dbNumbers('Referral'));
    expect(numbers).toHaveLength(BIG);
  });
});

/** As the exports were written before they were streamed (commit e265cfe, src/staff/export-files.ts), from rows in memory. */
const inertBefore = (v: Cell): Cell => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
function csvBefore(sheet: Sheet & { rows: Row[] }): string {
  const quote = (v: Cell) => {
    const s = v === null ? '' : String(inertBefore(v));
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [sheet.columns.map((c) => quote(c.header)).join(','), ...sheet.rows.map((r) => sheet.columns.map((c) => quote(r[c.key] ?? null)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
async function xlsxBefore(sheet: Sheet & { rows: Row[] }, at: Date): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: true });
  wb.creator = '社会救助热线';
  wb.created = at;
  const ws = wb.addWorksheet(sheet.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.commit();
  for (const row of sheet.rows) ws.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, inertBefore(v)]))).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

describe('the same content as before, for a small register', () => {
  const bancheng = async (): Promise<StaffPrincipal> => {
    const made = await createStaff(env.deps.db, { name: '半程镇 孙社工', role: 'township_staff', township: 'bancheng' });
    const row = await env.deps.db.staffUser.findUniqueOrThrow({ where: { id: made.id } });
    return { id: row.id, name: row.name, role: row.role, townshipId: row.townshipId, agencyId: row.agencyId } as StaffPrincipal;
  };

  it('CSV byte for byte; XLSX cell for cell, with the same header, widths, frozen row and filter', async () => {
    const staff = await bancheng();
    const now = new Date();
    const inMemory = async () => {
      const l = await openLedger(env.deps, staff, 'cases', {}, now);
      const rows: Row[] = [];
      for await (const r of l.rows) rows.push(r);
      return { ...l, rows };
    };
    const before = await inMemory();
    expect(before.rows).toHaveLength(8);

    const csv = await bytes(ledgerCsvStream(await openLedger(env.deps, staff, 'cases', {}, now)));
    expect(csv.equals(Buffer.from(csvBefore(before), 'utf8'))).toBe(true);

    const streamed = await workbook(await bytes(ledgerXlsxStream(await openLedger(env.deps, staff, 'cases', {}, now), now)));
    const old = await workbook(await xlsxBefore(before, now));
    expect(streamed.name).toBe(old.name);
    expect(streamed.rowCount).toBe(old.rowCount);
    for (let i = 1; i <= old.rowCount; i++) {
      expect(streamed.getRow(i).values, `row ${i}`).toEqual(old.getRow(i).values);
      expect(streamed.getRow(i).font, `row ${i}`).toEqual(old.getRow(i).font);
    }
    expect(streamed.columns.map((c) => c.width)).toEqual(old.columns.map((c) => c.width));
    expect(streamed.views).toEqual(old.views);
    expect(streamed.autoFilter).toEqual(old.autoFilter);
  });

  it('formulas stay inert: CSV and XLSX alike', async () => {
    const csv = (await get('/api/v1/exports/cases.csv')).body;
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    for (const cell of ["'+86 138", "'-2", "'@SUM(A1)", "'=1+1"]) expect(csv).toContain(cell);
    const sheet = await workbook((await get('/api/v1/exports/cases.xlsx')).rawPayload);
    const names: unknown[] = [];
    sheet.eachRow((row) => names.push(row.getCell(7).value));
    expect(names).toContain(`'=HYPERLINK("http://x")`);
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.formula).toBeUndefined()));
  });
});

describe('a full export', () => {
  it('is audited with its register and row count before its rows are read, and carries the numbers in full', async () => {
    const res = await post('/api/v1/exports/cases.csv', { reason: '年度核对报区民政局' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(ID_NUMBER);
    expect(csvFirstCells(res.body)).toHaveLength(BIG + 8);
    const audit = await env.deps.db.auditEvent.findFirstOrThrow({ where: { action: 'personal_data.exported' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ entityId: 'cases', reason: '年度核对报区民政局', after: { ledger: 'cases', rows: BIG + 8 } });
  });

  it('without a reason is refused before anything is sent', async () => {
    const res = await post('/api/v1/exports/cases.xlsx', { reason: '' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-disposition']).toBeUndefined();
  });
});

describe('backpressure: rows are read only as fast as the client takes them', () => {
  /** A sheet of endless rows, counting how many were read. */
  const endless = () => {
    const read = { rows: 0, ended: false };
    async function* rows(): AsyncGenerator<Row> {
      try {
        for (;;) {
          read.rows += 1;
          yield { a: `第${read.rows}行`, b: '老伴瘫痪在床，家里没有收入'.repeat(4), c: read.rows };
        }
      } finally {
        read.ended = true;
      }
    }
    const sheet: Sheet = { title: '受理台账', columns: ['a', 'b', 'c'].map((key) => ({ key, header: key, width: 10 })), rows: rows() };
    return { sheet, read };
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it.each([
    ['CSV', (s: Sheet) => ledgerCsvStream(s)],
    ['XLSX', (s: Sheet) => ledgerXlsxStream(s, new Date())],
  ])('%s: a client that stops reading stops the reading of rows; one that leaves ends it', async (_, open: (s: Sheet) => Readable) => {
    const { sheet, read } = endless();
    const body = open(sheet);
    await once(body, 'readable');
    await settle();
    const paused = read.rows;
    await settle();
    // Nothing read by the client: the writer waits (a few buffers' worth, not the whole of an endless register).
    expect(read.rows).toBe(paused);
    expect(paused).toBeLessThan(20_000);
    body.destroy();
    await settle();
    expect(read.ended).toBe(true);
  });
});
