import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { LoadedDirectory } from '../directory/store.js';
import { CategoryCode } from '../domain/categories.js';
import { compactTrackingNumber } from '../domain/tracking-number.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { CaseStatus } from '../generated/prisma/enums.js';
import { unitOfReferral } from '../referrals/units.js';

/** What the public request list reads. */
export type Open311Deps = { db: Db; directory: LoadedDirectory; now: () => Date };

/**
 * Only cases a supervisor has marked public are published (`published`, off by default), and they never carry
 * personal data: no name, ID, phone, address or free text (a reason is the resident's own words and may name people);
 * the place is the township only. Minors' cases are never published: child (孤儿、困境儿童) and youth (困难青少年) in
 * any position, whatever the mark. Clues are not requests a resident made, and incomplete or merged cases are not
 * requests in their own right.
 */
export const NEVER_PUBLISHED: CategoryCode[] = ['child', 'youth'];
const OPEN: CaseStatus[] = ['accepted', 'routed', 'in_progress', 'answered'];
const CLOSED: CaseStatus[] = ['closed', 'rejected'];

const STATUS_NOTES: Partial<Record<CaseStatus, string>> = {
  accepted: '已受理',
  routed: '已转办',
  in_progress: '办理中',
  answered: '已办理，待回访',
  closed: '已办结',
  rejected: '不予受理',
};

/** GeoReport v2 defaults: the last 90 days, at most 1000 requests. */
const DEFAULT_DAYS = 90;
const MAX_REQUESTS = 1000;

const Iso = z.iso.datetime({ offset: true }).or(z.iso.date());

export const RequestsQuery = z.object({
  service_request_id: z.string().max(2000).optional(),
  service_code: CategoryCode.optional(),
  start_date: Iso.optional(),
  end_date: Iso.optional(),
  status: z.enum(['open', 'closed']).optional(),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

const publishable: Prisma.CaseWhereInput = {
  published: true,
  type: { not: 'clue' },
  status: { in: [...OPEN, ...CLOSED] },
  NOT: { categories: { hasSome: NEVER_PUBLISHED } },
  categories: { isEmpty: false },
};

const select = {
  trackingNumber: true,
  status: true,
  categories: true,
  createdAt: true,
  updatedAt: true,
  township: { select: { name: true } },
  referrals: { where: { role: 'lead' }, select: { unitKind: true, agencyId: true, townshipId: true, dueAt: true }, orderBy: { createdAt: 'desc' }, take: 1 },
} satisfies Prisma.CaseSelect;

type Row = Prisma.CaseGetPayload<{ select: typeof select }>;

/** ISO 8601 with the county's offset, as GeoReport asks (e.g. 2026-11-02T09:00:00+08:00). */
function localIso(at: Date, tz: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  const offset = String(p.timeZoneName).replace('GMT', '') || '+00:00';
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}

function toRequest(deps: Pick<Open311Deps, 'directory'>, c: Row) {
  const dir = deps.directory.directory;
  const code = c.categories[0]!;
  const lead = c.referrals[0];
  const open = OPEN.includes(c.status);
  return {
    service_request_id: c.trackingNumber,
    status: open ? 'open' : 'closed',
    status_notes: STATUS_NOTES[c.status] ?? null,
    service_name: dir.categories.find((x) => x.code === code)?.name ?? code,
    service_code: code,
    agency_responsible: lead ? unitOfReferral(deps.directory, lead).name : dir.county.window.name,
    service_notice: null,
    requested_datetime: localIso(c.createdAt, dir.county.timezone),
    updated_datetime: localIso(c.updatedAt, dir.county.timezone),
    expected_datetime: lead && open ? localIso(lead.dueAt, dir.county.timezone) : null,
    address: c.township ? `${dir.county.name}${c.township.name}` : dir.county.name,
  };
}

const asDate = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);

/** Requests matching GeoReport's filters, newest first. Asking by id ignores the date window, as the spec says. */
export async function listRequests(deps: Open311Deps, q: RequestsQuery) {
  const ids = q.service_request_id?.split(',').map(compactTrackingNumber).filter(Boolean);
  const now = deps.now();
  const where: Prisma.CaseWhereInput = ids
    ? { AND: [publishable, { trackingNumber: { in: ids.slice(0, MAX_REQUESTS) } }] }
    : {
        AND: [
          publishable,
          q.service_code ? { categories: { has: q.service_code } } : {},
          q.status ? { status: { in: q.status === 'open' ? OPEN : CLOSED } } : {},
          { createdAt: { gte: q.start_date ? asDate(q.start_date) : new Date(now.getTime() - DEFAULT_DAYS * 86_400_000), ...(q.end_date ? { lte: asDate(q.end_date) } : {}) } },
        ],
      };
  const rows = await deps.db.case.findMany({ where, select, orderBy: { createdAt: 'desc' }, take: MAX_REQUESTS });
  return rows.map((c) => toRequest(deps, c));
}

/** One request by its tracking number, or undefined when it does not exist or is not published. */
export async function findRequest(deps: Pick<Open311Deps, 'db' | 'directory'>, id: string) {
  const c = await deps.db.case.findFirst({ where: { AND: [publishable, { trackingNumber: compactTrackingNumber(id) }] }, select });
  return c ? toRequest(deps, c) : undefined;
}
