import { z } from 'zod';
import type { StaffDeps } from './ports.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { ReferralStatus } from '../generated/prisma/enums.js';
import { AppError } from '../errors.js';
import { compactTrackingNumber } from '../domain/tracking-number.js';
import type { StaffPrincipal } from './principal.js';
import { categoryName, unitOfReferral } from '../referrals/units.js';
import { OPEN_STATUSES } from '../referrals/transitions.js';
import { CLOCK_STATUSES, clockSelect, primaryClock, referralClocks } from '../referrals/clock-states.js';
import { clockOf } from './referral-clock.js';
import { REFERRAL_STATUS_LABELS, ROLE_IN_CASE_LABELS, STEP_LABELS } from './labels.js';
import { referralScope } from './scopes.js';

const STATUS_GROUPS = {
  open: OPEN_STATUSES,
  to_sign: ['dispatched'],
  in_progress: ['signed', 'in_progress'],
  answered: ['answered'],
  closed: ['closed'],
  returned: ['returned'],
  all: undefined,
} as const satisfies Record<string, readonly ReferralStatus[] | undefined>;

export const STATUS_GROUP_LABELS: Record<keyof typeof STATUS_GROUPS, string> = {
  open: '未办结',
  to_sign: '待签收',
  in_progress: '办理中',
  answered: '已反馈',
  closed: '已办结',
  returned: '已退回',
  all: '全部',
};

export const WorklistFilter = z.object({
  status: z.enum(Object.keys(STATUS_GROUPS) as [keyof typeof STATUS_GROUPS]).default('open'),
  clock: z.enum(['any', 'overdue', 'due_soon', 'on_time']).default('any'),
  /** supervised: the county window supervises it (督办); extension: an extension request waits for approval. */
  flag: z.enum(['none', 'supervised', 'extension']).default('none'),
  /** A unit, for county-wide roles: township:CODE, agency:CODE or county_window. */
  unit: z.string().trim().max(80).optional(),
  /** All or part of a tracking number, as typed ("2611 2248"). */
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(200).default(50),
});
export type WorklistFilter = z.input<typeof WorklistFilter>;

type ListDeps = Pick<StaffDeps, 'db' | 'directory'>;

function unitFilter(deps: ListDeps, unit: string | undefined): Prisma.ReferralWhereInput {
  if (!unit) return {};
  if (unit === 'county_window') return { unitKind: 'county_window' };
  const [kind, code = ''] = unit.split(':');
  const id = kind === 'township' ? deps.directory.townshipId(code) : kind === 'agency' ? deps.directory.agencyId(code) : undefined;
  if (!id) throw new AppError('unknown_unit', `没有这个单位：${unit} / Unknown unit "${unit}": use township:CODE, agency:CODE or county_window`, 400);
  return kind === 'township' ? { unitKind: 'township', townshipId: id } : { unitKind: 'agency', agencyId: id };
}

/**
 * The referrals in scope whose most pressing clock is in `clock`, judged by the one deadline rule (every clock: sign-for,
 * transfer, aid first, approval, paperwork, follow-up). Only referrals that can still owe a clock are read.
 */
async function clockIds(deps: ListDeps, staff: StaffPrincipal, clock: 'overdue' | 'due_soon' | 'on_time', now: Date): Promise<string[]> {
  const rows = await deps.db.referral.findMany({
    where: { AND: [referralScope(staff), { status: { in: [...CLOCK_STATUSES] } }] },
    select: { id: true, ...clockSelect },
  });
  return rows
    .filter((r) => {
      const main = primaryClock(referralClocks(r, now));
      return !!main && !main.done && main.state === clock;
    })
    .map((r) => r.id);
}

async function clockFilter(deps: ListDeps, staff: StaffPrincipal, clock: 'any' | 'overdue' | 'due_soon' | 'on_time', now: Date): Promise<Prisma.ReferralWhereInput> {
  if (clock === 'any') return {};
  return { id: { in: await clockIds(deps, staff, clock, now) } };
}

const FLAGS: Record<'none' | 'supervised' | 'extension', Prisma.ReferralWhereInput> = {
  none: {},
  supervised: { timers: { some: { step: 'supervise', firedAt: { not: null } } } },
  extension: { extensionRequestedAt: { not: null }, extensionApprovedAt: null, status: { in: ['signed', 'in_progress'] } },
};

/** The filters of a worklist as one scoped where-clause. */
export async function worklistWhere(deps: ListDeps, staff: StaffPrincipal, f: z.output<typeof WorklistFilter>, now: Date): Promise<Prisma.ReferralWhereInput> {
  const statuses = STATUS_GROUPS[f.status];
  return {
    AND: [
      referralScope(staff),
      statuses ? { status: { in: [...statuses] } } : {},
      await clockFilter(deps, staff, f.clock, now),
      FLAGS[f.flag],
      unitFilter(deps, f.unit),
      f.q ? { trackingNumber: { contains: compactTrackingNumber(f.q) } } : {},
    ],
  };
}

export const worklistInclude = {
  case: { select: { trackingNumber: true, type: true, applicantName: true, urgent: true, township: { select: { name: true } }, village: { select: { name: true } } } },
  pauses: clockSelect.pauses,
  timers: clockSelect.timers,
} satisfies Prisma.ReferralInclude;

export type WorklistRow = Prisma.ReferralGetPayload<{ include: typeof worklistInclude }>;

/** One referral as a worklist line. */
export function worklistItem(deps: ListDeps, r: WorklistRow, now: Date) {
  const unit = unitOfReferral(deps.directory, r);
  return {
    trackingNumber: r.trackingNumber,
    caseTrackingNumber: r.case.trackingNumber,
    caseType: r.case.type,
    category: r.category,
    categoryName: categoryName(deps.directory, r.category),
    step: r.step,
    stepLabel: STEP_LABELS[r.step],
    role: r.role,
    roleLabel: ROLE_IN_CASE_LABELS[r.role],
    unit: { kind: unit.kind, code: unit.code, name: unit.name },
    status: r.status,
    statusLabel: REFERRAL_STATUS_LABELS[r.status],
    urgent: r.urgent,
    applicantName: r.case.applicantName,
    township: r.case.township?.name ?? null,
    village: r.case.village?.name ?? null,
    signDueAt: r.signDueAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    clock: clockOf(r, now),
    extensionPending: !!r.extensionRequestedAt && !r.extensionApprovedAt,
    createdAt: r.createdAt.toISOString(),
  };
}
export type WorklistItem = ReturnType<typeof worklistItem>;

/** A page of the staff member's referrals, soonest deadline first; every filter is a database condition. */
export async function listReferrals(deps: ListDeps, staff: StaffPrincipal, filter: WorklistFilter | Record<string, string | undefined>, now: Date) {
  const parsed = WorklistFilter.safeParse(filter);
  if (!parsed.success) throw new AppError('invalid_filter', `筛选条件有误 / Invalid worklist filter: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 400);
  const f = parsed.data;
  const where = await worklistWhere(deps, staff, f, now);
  const [total, rows] = await Promise.all([
    deps.db.referral.count({ where }),
    deps.db.referral.findMany({
      where,
      include: worklistInclude,
      orderBy: [{ dueAt: 'asc' }, { trackingNumber: 'asc' }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
    }),
  ]);
  return {
    filter: f,
    total,
    page: f.page,
    pageSize: f.pageSize,
    pages: Math.max(1, Math.ceil(total / f.pageSize)),
    items: rows.map((r) => worklistItem(deps, r, now)),
  };
}
export type Worklist = Awaited<ReturnType<typeof listReferrals>>;
