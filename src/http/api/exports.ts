import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ledgerCsvStream, ledgerXlsxStream } from '../../staff/export-files.js';
import { openLedger, LEDGERS, type Ledger, type LedgerName, type Sheet } from '../../staff/ledgers.js';
import { localDate } from '../../staff/local-dates.js';
import type { AppDeps } from '../ports.js';
import { bearer, jsonSchema, ReasonBody } from './schema.js';
import { staffOf, type StaffSide } from './context.js';

export const LedgerParams = z.object({ ledger: z.enum(Object.keys(LEDGERS) as [LedgerName]), format: z.enum(['xlsx', 'csv']) });
type LedgerParams = z.infer<typeof LedgerParams>;

/**
 * Sends a table as a download, streamed as its rows are read; `names` are the file's name without extension, in ASCII
 * and in Chinese. A failure once the download has begun can only cut it short: it is logged with its code.
 */
export function sendSheet(reply: FastifyReply, sheet: Sheet, names: { ascii: string; chinese: string }, format: 'xlsx' | 'csv', now: Date) {
  reply
    .header('content-disposition', `attachment; filename="${names.ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${names.chinese}.${format}`)}`)
    // Registers carry personal data even masked (names, addresses): never keep a download in a shared cache.
    .header('cache-control', 'no-store');
  const body = format === 'csv' ? ledgerCsvStream(sheet) : ledgerXlsxStream(sheet, now);
  body.on('error', (err) => reply.log.error({ err, code: 'export_failed', sheet: sheet.title }, '台账导出中断 / export cut short'));
  return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(body);
}

/** Sends a register as a download named e.g. 转办台账-2026-11-02.xlsx. */
export function sendLedger(reply: FastifyReply, deps: Pick<AppDeps, 'directory'>, ledger: Ledger, format: 'xlsx' | 'csv', now: Date) {
  const date = localDate(deps.directory, now);
  return sendSheet(reply, ledger, { ascii: `${ledger.name}-${date}`, chinese: `${ledger.title}-${date}` }, format, now);
}

const tags = ['ledgers'];
const WHO = '受理/转办台账：所有角色，范围内；花名册/巡查台账：镇街工作人员、县级督办 / cases, referrals: every role within scope; roster, visits: township_staff, supervisor';

/** Registers (台账) as XLSX or CSV: masked by GET, in full by POST with a reason (audited). */
export function registerExportRoutes(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  app.get<{ Params: LedgerParams }>(
    '/api/v1/exports/:ledger.:format',
    { schema: { tags, summary: '导出台账（个人信息脱敏） / Export a register, personal data masked', description: WHO, params: jsonSchema(LedgerParams), security: bearer } },
    async (req, reply) => {
      const now = deps.now();
      return sendLedger(reply, deps, await openLedger(deps, staffOf(req), req.params.ledger, {}, now), req.params.format, now);
    },
  );
  app.post<{ Params: LedgerParams; Body: { reason: string } }>(
    '/api/v1/exports/:ledger.:format',
    {
      schema: {
        tags,
        summary: '导出含完整身份证号和电话的台账（须填事由，留痕） / Export with ID numbers and phones in full; needs a reason, audited',
        description: WHO,
        params: jsonSchema(LedgerParams),
        body: jsonSchema(ReasonBody),
        security: bearer,
      },
    },
    async (req, reply) => {
      const now = deps.now();
      return sendLedger(reply, deps, await openLedger(deps, staffOf(req), req.params.ledger, { full: true, reason: req.body.reason }, now), req.params.format, now);
    },
  );
}
