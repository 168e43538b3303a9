import { z } from 'zod';
import type { Sql } from '../db/client.js';
import { iso, SqlParams } from '../db/statement.js';
import type { LoadedDirectory } from '../directory/store.js';
import { CategoryCode } from '../domain/categories.js';
import { compactTrackingNumber } from '../domain/tracking-number.js';
import type { CaseStatus, UnitKind } from '../generated/prisma/enums.js';
import { unitOfReferral } from '../referrals/units.js';

/** What the public request list reads. */
export type Open311Deps = { sql: Sql; directory: LoadedDirectory; now: () => Date };

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

/**
 * What may be published, as SQL on the case (`c`): marked public, not a clue, a status of a request, no minor's
 * category in any position, and a category at all.
 */
function publishableSql(p: SqlParams): string {
  return `c.published AND c.type <> 'clue' AND c.status = ANY(${p.add([...OPEN, ...CLOSED])}::"CaseStatus"[])
          AND NOT c.categories && ${p.add(NEVER_PUBLISHED)}::text[] AND cardinality(c.categories) > 0`;
}

/** A published request as read: its lead referral (the newest) and its township joined, times in epoch ms. */
type Row = {
  trackingNumber: string;
  status: CaseStatus;
  categories: string[];
  createdAt: number;
  updatedAt: number;
  townshipName: string | null;
  lead: { unitKind: UnitKind; agencyId: string | null; townshipId: string | null; dueAt: number } | null;
};

/**
 * One statement for the cases and what each shows: a list is read whole in the process that answers residents, and
 * read through Prisma's relation loading (three statements, the rows merged in JavaScript, every date parsed) it held
 * that process up several times longer.
 */
async function readRequests(deps: Pick<Open311Deps, 'sql'>, p: SqlParams, where: string, limit: number): Promise<Row[]> {
  const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
  const client = await deps.sql.connect();
  try {
    // Without parallel workers: a public read keeps to one core of PostgreSQL, whatever the residents' turns need.
    await client.query('BEGIN READ ONLY');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const { rows } = await client.query<Row>(
      `SELECT c."trackingNumber", c.status::text AS status, c.categories, ${ms('c."createdAt"')} AS "createdAt", ${ms('c."updatedAt"')} AS "updatedAt",
              t.name AS "townshipName",
              (SELECT json_build_object('unitKind', r."unitKind", 'agencyId', r."agencyId", 'townshipId', r."townshipId", 'dueAt', ${ms('r."dueAt"')})
                 FROM "Referral" r WHERE r."caseId" = c.id AND r.role = 'lead' ORDER BY r."createdAt" DESC LIMIT 1) AS lead
         FROM "Case" c LEFT JOIN "Township" t ON t.id = c."townshipId"
        WHERE ${publishableSql(p)} AND ${where}
        ORDER BY c."createdAt" DESC
        LIMIT ${limit}`,
      p.values,
    );
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** One formatter per time zone: making one costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, timeZoneName: 'longOffset' });
    formatters.set(tz, f);
  }
  return f;
}

/** Offsets change on a quarter hour at most (daylight saving, if the zone has it): one is asked of Intl per quarter hour. */
const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();
/** The zone's offset from UTC at `at`, in minutes (+480 for China). */
function offsetMinutes(at: Date, tz: string): number {
  const key = `${tz} ${Math.floor(at.getTime() / QUARTER_HOUR)}`;
  let minutes = offsets.get(key);
  if (minutes === undefined) {
    const name = formatterFor(tz).formatToParts(at).find((x) => x.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, minutes);
  }
  return minutes;
}

/**
 * ISO 8601 with the county's offset, as GeoReport asks (e.g. 2026-11-02T09:00:00+08:00). Written from the offset,
 * not formatted by Intl each time: a list of 1000 requests has 3000 of these, and the list is rebuilt in the process
 * that answers residents.
 */
function localIso(at: Date, tz: string): string {
  const minutes = offsetMinutes(at, tz);
  const local = new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(minutes);
  return `${local}${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function toRequest(deps: Pick<Open311Deps, 'directory'>, c: Row) {
  const dir = deps.directory.directory;
  const code = c.categories[0]!;
  const lead = c.lead;
  const open = OPEN.includes(c.status);
  return {
    service_request_id: c.trackingNumber,
    status: open ? 'open' : 'closed',
    status_notes: STATUS_NOTES[c.status] ?? null,
    service_name: dir.categories.find((x) => x.code === code)?.name ?? code,
    service_code: code,
    agency_responsible: lead ? unitOfReferral(deps.directory, lead).name : dir.county.window.name,
    service_notice: null,
    requested_datetime: localIso(new Date(c.createdAt), dir.county.timezone),
    updated_datetime: localIso(new Date(c.updatedAt), dir.county.timezone),
    expected_datetime: lead && open ? localIso(new Date(lead.dueAt), dir.county.timezone) : null,
    address: c.townshipName ? `${dir.county.name}${c.townshipName}` : dir.county.name,
  };
}

const asDate = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);

/** Requests matching GeoReport's filters, newest first. Asking by id ignores the date window, as the spec says. */
export async function listRequests(deps: Open311Deps, q: RequestsQuery) {
  const ids = q.service_request_id?.split(',').map(compactTrackingNumber).filter(Boolean);
  const now = deps.now();
  const p = new SqlParams();
  const where = ids
    ? [`c."trackingNumber" = ANY(${p.add(ids.slice(0, MAX_REQUESTS))}::text[])`]
    : [
        ...(q.service_code ? [`${p.add(q.service_code)}::text = ANY(c.categories)`] : []),
        ...(q.status ? [`c.status = ANY(${p.add(q.status === 'open' ? OPEN : CLOSED)}::"CaseStatus"[])`] : []),
        `c."createdAt" >= ${p.add(iso(q.start_date ? asDate(q.start_date) : new Date(now.getTime() - DEFAULT_DAYS * 86_400_000)))}::timestamp`,
        ...(q.end_date ? [`c."createdAt" <= ${p.add(iso(asDate(q.end_date)))}::timestamp`] : []),
      ];
  const rows = await readRequests(deps, p, where.join(' AND '), MAX_REQUESTS);
  return rows.map((c) => toRequest(deps, c));
}

/** One request by its tracking number, or undefined when it does not exist or is not published. */
export async function findRequest(deps: Pick<Open311Deps, 'sql' | 'directory'>, id: string) {
  const p = new SqlParams();
  const [c] = await readRequests(deps, p, `c."trackingNumber" = ${p.add(compactTrackingNumber(id))}`, 1);
  return c ? toRequest(deps, c) : undefined;
}
