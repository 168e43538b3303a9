import type { FastifyInstance } from 'fastify';
import { LedgerParams, sendLedger } from '../../http/api/exports.js';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { AppError } from '../../errors.js';
import { openLedger } from '../../staff/ledgers.js';
import type { ConsoleKit } from '../kit.js';
import { exportsPage } from '../views/exports.js';

export function registerExportPages(scope: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>, kit: ConsoleKit): void {
  scope.get('/exports', async (req, reply) => kit.send(reply, exportsPage(kit.ctx(req, reply))));
  scope.get<{ Params: { ledger: string; format: string } }>('/exports/:ledger.:format', async (req, reply) => {
    const p = LedgerParams.safeParse(req.params);
    if (!p.success) throw new AppError('not_found', '没有这个台账 / No such register', 404);
    const now = deps.now();
    return sendLedger(reply, deps, await openLedger(deps, staffOf(req), p.data.ledger, {}, now), p.data.format, now);
  });
  scope.post<{ Body: { ledger?: string; format?: string; reason?: string } }>('/exports/full', async (req, reply) => {
    const p = LedgerParams.safeParse({ ledger: req.body?.ledger, format: req.body?.format });
    if (!p.success) throw new AppError('invalid_input', '请选择台账和格式 / Choose a register and a format', 400);
    const now = deps.now();
    return sendLedger(reply, deps, await openLedger(deps, staffOf(req), p.data.ledger, { full: true, reason: req.body?.reason }, now), p.data.format, now);
  });
}
