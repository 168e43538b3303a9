import type { Db } from '../db/client.js';
import type { ProgressCase } from '../dialogs/state.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { CaseStatus } from '../generated/prisma/enums.js';
import { localParts } from '../jobs/clock/zone.js';

const STATUS_TEXT: Record<CaseStatus, string> = {
  incomplete: '信息还不完整，工作人员会联系您补充',
  accepted: '已受理，正在转交承办单位',
  routed: '已转交承办单位，等待签收办理',
  in_progress: '承办单位正在办理',
  answered: '已办理完毕，结果已反馈',
  closed: '已办结',
  merged: '已与您的另一件申请合并办理',
  rejected: '不予受理，工作人员会告知原因',
};

const dateIn = (at: Date, tz: string) => localParts(at, tz).date;

/**
 * A resident's own cases in plain words, found by tracking number or by the
 * phone on the case plus the last 4 characters of the ID number (which a
 * stranger holding only the phone cannot guess). Newest first, at most 3.
 */
export async function progressOf(
  deps: { db: Db; directory: LoadedDirectory },
  q: { trackingNumber?: string; phone?: string; idLast4?: string },
): Promise<ProgressCase[]> {
  const where = q.trackingNumber
    ? { trackingNumber: q.trackingNumber }
    : q.phone && q.idLast4
      ? { phone: { endsWith: q.phone.replace(/^\+?86/, '') }, idNumberMasked: { endsWith: q.idLast4.toUpperCase() } }
      : undefined;
  if (!where) return [];
  const cases = await deps.db.case.findMany({
    where,
    orderBy: { createdAt: 'desc' },
    take: 3,
    // The paperwork after aid given first (补办手续) is the office's own business: its deadline is not the resident's next date.
    include: { referrals: { where: { status: { in: ['dispatched', 'signed', 'in_progress'] }, step: { not: 'paperwork' } }, orderBy: { dueAt: 'asc' }, take: 1 } },
  });
  const tz = deps.directory.directory.county.timezone;
  return cases.map((c) => {
    const next = c.referrals[0];
    return { trackingNumber: c.trackingNumber, statusText: STATUS_TEXT[c.status], ...(next ? { nextDate: dateIn(next.dueAt, tz) } : {}) };
  });
}
