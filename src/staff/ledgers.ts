import type { StaffDeps } from './ports.js';
import { maskIdNumber, maskPersonalNumbers, maskPhone } from '../privacy/personal-numbers.js';
import type { StaffPrincipal } from './principal.js';
import { categoryName, unitOfReferral } from '../referrals/units.js';
import { requireRole } from './access.js';
import { clockOf, clockText } from './referral-clock.js';
import { clockSelect } from '../referrals/clock-states.js';
import { CASE_STATUS_LABELS, CASE_TYPE_LABELS, CHANNEL_LABELS, REFERRAL_STATUS_LABELS, ROLE_IN_CASE_LABELS, SATISFACTION_LABELS, STEP_LABELS } from './labels.js';
import { localDate, localDateTime } from './local-dates.js';
import { recordDisclosure, requireReason } from './personal-data.js';
import { caseScope, keyPersonScope, referralScope } from './scopes.js';
import { maskedCase } from '../cases/masked-case.js';

/** The registers (台账) a county keeps on paper, exported from the same scoped data the console shows. */
export const LEDGERS = { cases: '受理台账', referrals: '转办台账', roster: '重点人群花名册', visits: '巡查记录台账' } as const;
export type LedgerName = keyof typeof LEDGERS;

export type Cell = string | number | null;
export type Row = Record<string, Cell>;
/** A table as it is downloaded: one sheet, its columns, its rows (a register's are read page by page as they are written). */
export type Sheet = { title: string; columns: { key: string; header: string; width: number }[]; rows: Iterable<Row> | AsyncIterable<Row> };
export type Ledger = Sheet & { name: LedgerName; rows: AsyncIterable<Row> };

type LedgerDeps = Pick<StaffDeps, 'db' | 'directory' | 'cipher'>;

/**
 * Rows are read a page at a time in id order, each page after the last id of the one before (keyset: no OFFSET, no
 * query held open), and each row is handed on before the next page is read: a county's register is never in memory.
 */
const PAGE = 1000;

/**
 * One page read at a time in a process, whatever the number of exports: a page with its relations takes several of
 * the pool's connections at once, and residents' turns wait for those too (3 s at most before they fail).
 */
let reading: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(read: () => Promise<T>): Promise<T> {
  const next = reading.then(read, read);
  reading = next.catch(() => undefined);
  return next;
}

async function* paged<T extends { id: string }>(read: (after: { id?: { gt: string } }) => Promise<T[]>, toRow: (item: T) => Row): AsyncGenerator<Row> {
  for (let last: string | undefined; ; ) {
    const after = last ? { id: { gt: last } } : {};
    const items = await oneAtATime(() => read(after));
    for (const item of items) yield toRow(item);
    if (items.length < PAGE) return;
    last = items.at(-1)!.id;
  }
}
const keyset = { take: PAGE, orderBy: { id: 'asc' as const } };

/** A register before its rows are read: `count` is for the audit of a full export. */
type Opened = Ledger & { count(): Promise<number> };

type Personal = { idNumberEnc: string | null; idNumberMasked: string | null; phone: string | null };

/** ID number and phone as the export shows them: masked, or in full when the export was asked for in full. */
function personal(deps: LedgerDeps, full: boolean, p: Personal) {
  return {
    idNumber: full ? (p.idNumberEnc ? deps.cipher.decrypt(p.idNumberEnc) : null) : (p.idNumberMasked ?? (p.idNumberEnc ? maskIdNumber(deps.cipher.decrypt(p.idNumberEnc)) : null)),
    phone: p.phone ? (full ? p.phone : maskPhone(p.phone)) : null,
  };
}

/** Free text (a reason, a result, an address): an ID or phone number written in it is masked unless exported in full. */
const words = (full: boolean, text: string | null) => (text && !full ? maskPersonalNumbers(text) : text);

const col = (key: string, header: string, width = 14) => ({ key, header, width });

/** Only what the register shows: a page of cases is read, written and dropped, so the less of it the better. */
const CASE_COLUMNS = {
  id: true, trackingNumber: true, type: true, status: true, urgent: true, categories: true, channel: true, applicantName: true, idNumberEnc: true,
  idNumberMasked: true, phone: true, householdSize: true, address: true, relation: true, reason: true, createdAt: true,
  township: { select: { name: true } },
  village: { select: { name: true } },
} as const;

function casesLedger(deps: LedgerDeps, staff: StaffPrincipal, full: boolean): Opened {
  const where = caseScope(staff);
  return {
    name: 'cases',
    title: LEDGERS.cases,
    columns: [
      col('trackingNumber', '承办编号', 16), col('type', '类型', 12), col('status', '状态', 10), col('urgent', '紧急', 6), col('categories', '救助类别', 24),
      col('channel', '渠道', 10), col('name', '申请人', 10), col('idNumber', '身份证号', 22), col('phone', '联系电话', 16), col('householdSize', '家庭人口', 8),
      col('township', '镇街', 12), col('village', '村居', 12), col('address', '地址', 24), col('relation', '申请关系', 10), col('reason', '困难情况', 40), col('createdAt', '受理时间', 18),
    ],
    count: () => deps.db.case.count({ where }),
    rows: paged(
      (after) => deps.db.case.findMany({ where: { AND: [where, after] }, select: CASE_COLUMNS, ...keyset }),
      (c) => {
        // Exported as the console shows a case (src/cases/masked-case.ts), unless exported in full.
        const shown = full ? c : maskedCase({ ...c, urgentReason: null, emergency: null });
        return {
          trackingNumber: c.trackingNumber,
          type: CASE_TYPE_LABELS[c.type],
          status: CASE_STATUS_LABELS[c.status],
          urgent: c.urgent ? '是' : '否',
          categories: c.categories.map((code) => categoryName(deps.directory, code)).join('、'),
          channel: CHANNEL_LABELS[c.channel],
          name: c.applicantName,
          ...personal(deps, full, c),
          householdSize: c.householdSize,
          township: c.township?.name ?? null,
          village: c.village?.name ?? null,
          address: shown.address,
          relation: c.relation,
          reason: shown.reason,
          createdAt: localDateTime(deps.directory, c.createdAt),
        };
      },
    ),
  };
}

function referralsLedger(deps: LedgerDeps, staff: StaffPrincipal, full: boolean, now: Date): Opened {
  const where = referralScope(staff);
  const at = (d: Date | null) => (d ? localDateTime(deps.directory, d) : null);
  return {
    name: 'referrals',
    title: LEDGERS.referrals,
    columns: [
      col('trackingNumber', '转办编号', 18), col('caseTrackingNumber', '承办编号', 16), col('category', '救助类别', 16), col('role', '主协办', 8), col('step', '环节', 10),
      col('unit', '承办单位', 20), col('status', '状态', 10), col('clock', '时限状态', 10), col('signDueAt', '签收时限', 18), col('signedAt', '签收时间', 18),
      col('dueAt', '办理时限', 18), col('answeredAt', '反馈时间', 18), col('result', '办理结果', 40), col('handler', '经办人', 10), col('returnReason', '退回理由', 24),
      col('satisfaction', '回访结果', 10), col('name', '申请人', 10), col('phone', '联系电话', 16),
    ],
    count: () => deps.db.referral.count({ where }),
    rows: paged(
      (after) =>
        deps.db.referral.findMany({
          where: { AND: [where, after] },
          include: { case: { select: { trackingNumber: true, applicantName: true, phone: true } }, pauses: clockSelect.pauses, timers: clockSelect.timers },
          ...keyset,
        }),
      (r) => ({
        trackingNumber: r.trackingNumber,
        caseTrackingNumber: r.case.trackingNumber,
        category: categoryName(deps.directory, r.category),
        role: ROLE_IN_CASE_LABELS[r.role],
        step: STEP_LABELS[r.step],
        unit: unitOfReferral(deps.directory, r).name,
        status: REFERRAL_STATUS_LABELS[r.status],
        clock: clockText(clockOf(r, now)),
        signDueAt: at(r.signDueAt),
        signedAt: at(r.signedAt),
        dueAt: at(r.dueAt),
        answeredAt: at(r.answeredAt),
        result: words(full, r.feedbackResult),
        handler: r.feedbackHandler,
        returnReason: words(full, r.returnReason),
        satisfaction: r.satisfaction ? (SATISFACTION_LABELS[r.satisfaction] ?? r.satisfaction) : null,
        name: r.case.applicantName,
        phone: r.case.phone ? (full ? r.case.phone : maskPhone(r.case.phone)) : null,
      }),
    ),
  };
}

function rosterLedger(deps: LedgerDeps, staff: StaffPrincipal, full: boolean, now: Date): Opened {
  const where = keyPersonScope(staff);
  return {
    name: 'roster',
    title: LEDGERS.roster,
    columns: [
      col('name', '姓名', 10), col('idNumber', '身份证号', 22), col('phone', '联系电话', 16), col('category', '类别', 16), col('township', '镇街', 12), col('village', '村居', 12),
      col('visitEveryDays', '巡访周期（天）', 12), col('nextVisitDue', '下次巡访', 12), col('overdue', '巡访逾期', 8), col('note', '备注', 30),
    ],
    count: () => deps.db.keyPerson.count({ where }),
    rows: paged(
      (after) => deps.db.keyPerson.findMany({ where: { AND: [where, after] }, include: { township: true, village: true }, ...keyset }),
      (p) => ({
        name: p.name,
        ...personal(deps, full, p),
        category: categoryName(deps.directory, p.category),
        township: p.township.name,
        village: p.village?.name ?? null,
        visitEveryDays: p.visitEveryDays,
        nextVisitDue: localDate(deps.directory, p.nextVisitDue),
        overdue: p.nextVisitDue < now ? '是' : '否',
        note: words(full, p.note),
      }),
    ),
  };
}

function visitsLedger(deps: LedgerDeps, staff: StaffPrincipal, full: boolean): Opened {
  const where = { keyPerson: keyPersonScope(staff) };
  return {
    name: 'visits',
    title: LEDGERS.visits,
    columns: [col('visitedOn', '巡访日期', 12), col('name', '姓名', 10), col('idNumber', '身份证号', 22), col('township', '镇街', 12), col('village', '村居', 12), col('findings', '巡访情况', 50), col('by', '巡访人', 10)],
    count: () => deps.db.visit.count({ where }),
    rows: paged(
      (after) =>
        deps.db.visit.findMany({
          where: { AND: [where, after] },
          include: { keyPerson: { include: { township: true, village: true } }, staff: { select: { name: true } } },
          ...keyset,
        }),
      (v) => ({
        visitedOn: localDate(deps.directory, v.visitedAt),
        name: v.keyPerson.name,
        idNumber: personal(deps, full, { ...v.keyPerson, phone: null }).idNumber,
        township: v.keyPerson.township.name,
        village: v.keyPerson.village?.name ?? null,
        findings: words(full, v.findings),
        by: v.staff?.name ?? null,
      }),
    ),
  };
}

/**
 * A register in the staff member's scope, personal data masked, its rows read as they are written out. `full` (ID
 * numbers and phones in full) needs a reason and is audited, with the register's name and row count, before the first
 * row is read: nothing leaves unrecorded.
 */
export async function openLedger(deps: LedgerDeps, staff: StaffPrincipal, name: LedgerName, opts: { full?: boolean; reason?: string }, now: Date): Promise<Ledger> {
  const full = opts.full === true;
  const why = full ? requireReason(opts.reason) : undefined;
  if (name === 'roster' || name === 'visits') requireRole(staff, ['township_staff', 'supervisor'], LEDGERS[name], `export the ${name} register`);
  const { count, ...ledger } =
    name === 'cases'
      ? casesLedger(deps, staff, full)
      : name === 'referrals'
        ? referralsLedger(deps, staff, full, now)
        : name === 'roster'
          ? rosterLedger(deps, staff, full, now)
          : visitsLedger(deps, staff, full);
  if (why) {
    const rows = await count();
    await recordDisclosure(deps.db, { staff, at: now, action: 'personal_data.exported', entity: 'ledger', entityId: name, fields: ['idNumber', 'phone'], reason: why, extra: { ledger: name, rows } });
  }
  return ledger;
}
