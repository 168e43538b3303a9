import { z } from 'zod';
import type { StaffDeps } from './ports.js';
import { CategoryCode } from '../domain/categories.js';
import { maskIdNumber, maskPhone } from '../privacy/personal-numbers.js';
import { parseIdNumber } from '../dialogs/understand/id-number.js';
import { AppError, notFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { StaffPrincipal } from './principal.js';
import { categoryName } from '../referrals/units.js';
import { requireRole } from './access.js';
import { addDays, DATE_PATTERN, localDate, startOfDate } from './local-dates.js';
import { recordDisclosure, requireReason } from './personal-data.js';
import { keyPersonScope } from './scopes.js';
import { recordStaffAction } from './staff-action.js';

/** 重点人群花名册: the people a township visits regularly. */

const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

export const KeyPersonInput = z.object({
  /** Township staff keep their own township's roster; supervisors name the township. */
  townshipCode: optionalText(64),
  villageCode: optionalText(64),
  name: z.string().trim().min(1, '请填写姓名').max(50),
  idNumber: optionalText(40),
  phone: optionalText(20).pipe(z.string().regex(/^\d{5,15}$/, '电话号码应为5–15位数字').optional()),
  category: CategoryCode,
  note: optionalText(500),
  visitEveryDays: z.coerce.number().int().min(1, '巡访周期至少1天').max(365, '巡访周期最多365天').default(30),
  /** First visit due; by default one visiting period from today. */
  firstVisitDue: optionalText(10).pipe(z.string().regex(DATE_PATTERN, '日期格式应为 YYYY-MM-DD').optional()),
});
export type KeyPersonInput = z.input<typeof KeyPersonInput>;

type RosterDeps = Pick<StaffDeps, 'db' | 'directory'>;

function invalid(message: string): AppError {
  return new AppError('key_person_invalid', `${message} / Correct the form and send it again`, 400);
}

/** Adds a person to the roster; the ID number is stored encrypted with a lookup hash, as for cases. */
export async function addKeyPerson(deps: RosterDeps & Pick<StaffDeps, 'cipher'>, staff: StaffPrincipal, input: KeyPersonInput, now: Date) {
  requireRole(staff, ['township_staff', 'supervisor'], '维护重点人群花名册', 'keep the key-person roster');
  const parsed = KeyPersonInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；'));
  const p = parsed.data;
  const townshipId = staff.role === 'township_staff' ? staff.townshipId : p.townshipCode ? deps.directory.townshipId(p.townshipCode) : undefined;
  if (!townshipId) throw invalid('请选择镇街');
  const township = deps.directory.directory.townships.find((t) => deps.directory.townshipId(t.code) === townshipId);
  const villageId = p.villageCode && township ? deps.directory.villageId(township.code, p.villageCode) : undefined;
  if (p.villageCode && !villageId) throw invalid(`${township?.name ?? '该镇街'}没有编码为 ${p.villageCode} 的村居`);
  let id: string | undefined;
  if (p.idNumber) {
    const parsedId = parseIdNumber(p.idNumber);
    if (!parsedId.ok) throw invalid(`身份证号有误：${parsedId.message}`);
    id = parsedId.value;
  }
  const firstDue = p.firstVisitDue ?? addDays(localDate(deps.directory, now), p.visitEveryDays);
  const person = await deps.db.keyPerson.create({
    data: {
      townshipId,
      villageId: villageId ?? null,
      name: p.name,
      idNumberEnc: id ? deps.cipher.encrypt(id) : null,
      idNumberHash: id ? deps.cipher.lookupHash(id) : null,
      idNumberMasked: id ? maskIdNumber(id) : null,
      phone: p.phone ?? null,
      category: p.category,
      note: p.note ?? null,
      visitEveryDays: p.visitEveryDays,
      nextVisitDue: startOfDate(deps.directory, firstDue),
      createdAt: now,
    },
  });
  await recordStaffAction(deps.db, staff, now, {
    action: 'key_person.added',
    entity: 'key_person',
    entityId: person.id,
    after: { category: p.category, visitEveryDays: p.visitEveryDays },
  });
  return person;
}

export const RosterFilter = z.object({
  /** Only people whose visit is late ("1"/"true", as a query string or a checkbox sends it). */
  overdue: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  q: optionalText(50),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(200).default(50),
});
export type RosterFilter = z.input<typeof RosterFilter>;

const include = {
  township: { select: { name: true } },
  village: { select: { name: true } },
  visits: { orderBy: { visitedAt: 'desc' }, take: 1, select: { visitedAt: true, findings: true } },
} satisfies Prisma.KeyPersonInclude;

function rosterItem(deps: RosterDeps, p: Prisma.KeyPersonGetPayload<{ include: typeof include }>, now: Date) {
  return {
    id: p.id,
    name: p.name,
    idNumberMasked: p.idNumberMasked,
    phoneMasked: p.phone ? maskPhone(p.phone) : null,
    category: p.category,
    categoryName: categoryName(deps.directory, p.category),
    township: p.township.name,
    village: p.village?.name ?? null,
    note: p.note,
    visitEveryDays: p.visitEveryDays,
    nextVisitDue: localDate(deps.directory, p.nextVisitDue),
    visitOverdue: p.nextVisitDue < now,
    lastVisit: p.visits[0] ? { on: localDate(deps.directory, p.visits[0].visitedAt), findings: p.visits[0].findings } : null,
  };
}
export type RosterItem = ReturnType<typeof rosterItem>;

/** The roster in scope, soonest visit first; `overdue` keeps only people whose visit is late. */
export async function listKeyPersons(deps: RosterDeps, staff: StaffPrincipal, filter: RosterFilter, now: Date) {
  const parsed = RosterFilter.safeParse(filter);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；'));
  const f = parsed.data;
  const where: Prisma.KeyPersonWhereInput = {
    AND: [keyPersonScope(staff), f.overdue ? { nextVisitDue: { lt: now } } : {}, f.q ? { name: { contains: f.q } } : {}],
  };
  const [total, rows] = await Promise.all([
    deps.db.keyPerson.count({ where }),
    deps.db.keyPerson.findMany({ where, include, orderBy: [{ nextVisitDue: 'asc' }, { id: 'asc' }], skip: (f.page - 1) * f.pageSize, take: f.pageSize }),
  ]);
  return { filter: f, total, page: f.page, pageSize: f.pageSize, pages: Math.max(1, Math.ceil(total / f.pageSize)), items: rows.map((p) => rosterItem(deps, p, now)) };
}

/** Visits that are late, for the worklist; empty for roles without a roster. */
export async function overdueVisits(deps: RosterDeps, staff: StaffPrincipal, now: Date, take = 20) {
  if (staff.role !== 'township_staff' && staff.role !== 'supervisor') return { total: 0, items: [] };
  const where: Prisma.KeyPersonWhereInput = { AND: [keyPersonScope(staff), { nextVisitDue: { lt: now } }] };
  const [total, rows] = await Promise.all([
    deps.db.keyPerson.count({ where }),
    deps.db.keyPerson.findMany({ where, include, orderBy: { nextVisitDue: 'asc' }, take }),
  ]);
  return { total, items: rows.map((p) => rosterItem(deps, p, now)) };
}

/** A roster entry in scope, or 404. */
export async function findKeyPerson(deps: RosterDeps, staff: StaffPrincipal, id: string) {
  const p = await deps.db.keyPerson.findFirst({ where: { AND: [{ id }, keyPersonScope(staff)] }, include });
  if (!p) throw notFound(`Key person ${id}`);
  return p;
}

/** One person on the roster with their visit log (巡查记录), personal data masked. */
export async function readKeyPerson(deps: RosterDeps, staff: StaffPrincipal, id: string, now: Date) {
  const p = await findKeyPerson(deps, staff, id);
  const visits = await deps.db.visit.findMany({ where: { keyPersonId: id }, orderBy: { visitedAt: 'desc' }, include: { staff: { select: { name: true } } } });
  return {
    ...rosterItem(deps, p, now),
    visits: visits.map((v) => ({ id: v.id, on: localDate(deps.directory, v.visitedAt), findings: v.findings, by: v.staff?.name ?? null })),
  };
}

/** The same person's ID number and phone in full, for a stated reason; audited. */
export async function revealKeyPerson(deps: RosterDeps & Pick<StaffDeps, 'cipher'>, staff: StaffPrincipal, id: string, reason: string | undefined, now: Date) {
  const why = requireReason(reason);
  const view = await readKeyPerson(deps, staff, id, now);
  const raw = await deps.db.keyPerson.findUniqueOrThrow({ where: { id }, select: { idNumberEnc: true, phone: true } });
  const idNumber = raw.idNumberEnc ? deps.cipher.decrypt(raw.idNumberEnc) : null;
  const fields = [...(idNumber ? ['idNumber'] : []), ...(raw.phone ? ['phone'] : [])];
  await recordDisclosure(deps.db, { staff, at: now, action: 'personal_data.viewed', entity: 'key_person', entityId: id, fields, reason: why });
  return { ...view, idNumber, phone: raw.phone, disclosed: { fields, reason: why, at: now.toISOString() } };
}
