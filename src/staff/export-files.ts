import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, Row, Sheet } from './ledgers.js';

/**
 * Registers as downloads, written as their rows are read: the response is a stream, and the next page of rows is
 * only read once the client has taken the last (so six large exports at once stay within a bounded memory).
 */

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written as text, so an export cannot carry one. */
function inert(v: Cell): Cell {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const quote = (v: Cell) => {
  const s = v === null ? '' : String(inert(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** About this many characters are handed to the response at a time. */
const CHUNK = 64 * 1024;

async function* csvChunks(sheet: Sheet): AsyncGenerator<string> {
  let out = `\uFEFF${sheet.columns.map((c) => quote(c.header)).join(',')}\r\n`;
  for await (const r of sheet.rows) {
    out += `${sheet.columns.map((c) => quote(r[c.key] ?? null)).join(',')}\r\n`;
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  yield out;
}

/** The register as CSV: UTF-8 with a byte-order mark (so Excel on Chinese Windows reads it), CRLF line ends. */
export function ledgerCsvStream(sheet: Sheet): Readable {
  // Readable.from asks for the next chunk only when the client has read the last: that is the backpressure.
  return Readable.from(csvChunks(sheet), { objectMode: false });
}

type Waiting = { _writableState?: { needDrain?: boolean }; once(event: string, listener: () => void): unknown };

/**
 * exceljs's sheet stream hands each 64 kB on to the zip without waiting for it (its StreamBuf ignores backpressure),
 * so the writer waits here until the zip has taken it and the client has read what was zipped.
 */
async function caughtUp(ws: object, sink: PassThrough, signal: AbortSignal): Promise<void> {
  const pipes = (ws as { stream?: { pipes?: Waiting[] } }).stream?.pipes ?? [];
  for (const p of pipes) if (p._writableState?.needDrain) await once(p as unknown as NodeJS.EventEmitter, 'drain', { signal });
  if (sink.writableNeedDrain) await once(sink, 'drain', { signal });
}

async function writeXlsx(sheet: Sheet, generatedAt: Date, sink: PassThrough, signal: AbortSignal): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: true });
  wb.creator = '社会救助热线';
  wb.created = generatedAt;
  const ws = wb.addWorksheet(sheet.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.commit();
  for await (const row of sheet.rows) {
    ws.addRow(Object.fromEntries(Object.entries(row as Row).map(([k, v]) => [k, inert(v)]))).commit();
    await caughtUp(ws, sink, signal);
  }
  ws.commit();
  await wb.commit();
}

/**
 * The register as an Excel workbook: one sheet, bold frozen header, filters on, columns sized for Chinese text.
 * Written with exceljs's streaming writer and inline strings, row by row into the response.
 */
export function ledgerXlsxStream(sheet: Sheet, generatedAt: Date): Readable {
  const sink = new PassThrough();
  // A client that goes away ends the writing, and with it the reading of further pages.
  const gone = new AbortController();
  sink.once('close', () => gone.abort());
  writeXlsx(sheet, generatedAt, sink, gone.signal).catch((err: unknown) => {
    if (!gone.signal.aborted) sink.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return sink;
}
