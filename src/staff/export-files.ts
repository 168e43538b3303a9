import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, Sheet } from './ledgers.js';

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written as text, so an export cannot carry one. */
function inert(v: Cell): Cell {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/**
 * The register as an Excel workbook: one sheet, bold frozen header, filters on, columns sized for Chinese text.
 * Written with the streaming writer and inline strings, which keeps a county's year of referrals to a second or two.
 */
export async function ledgerToXlsx(ledger: Sheet, generatedAt: Date): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: true });
  wb.creator = '社会救助热线';
  wb.created = generatedAt;
  const ws = wb.addWorksheet(ledger.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = ledger.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ledger.columns.length } };
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.commit();
  for (const row of ledger.rows) ws.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, inert(v)]))).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

const quote = (v: Cell) => {
  const s = v === null ? '' : String(inert(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The register as CSV: UTF-8 with a byte-order mark (so Excel on Chinese Windows reads it), CRLF line ends. */
export function ledgerToCsv(ledger: Sheet): string {
  const lines = [ledger.columns.map((c) => quote(c.header)).join(','), ...ledger.rows.map((r) => ledger.columns.map((c) => quote(r[c.key] ?? null)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
