import type { Db } from '../db/client.js';
import { iso, type SqlParams } from '../db/statement.js';

/** Open cases whose matter can still be merged into or linked to. */
const OPEN = ['accepted', 'routed', 'in_progress'] as const;
/** Cases that are no one's open or past matter: never merged into or linked to. */
const NOT_RELATED = ['merged', 'rejected', 'incomplete'] as const;
/** How far back "recent assistance" reaches when looking for the same person. */
const LOOKBACK_DAYS = 365;
const MAX_RELATED = 20;

export type Related = { id: string; trackingNumber: string; categories: string[]; status: string; sameMatter: boolean };
type Found = Omit<Related, 'sameMatter'>;

const since = (now: Date) => new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);

/** A case is "the same matter" when it shares the lead category and is still open. */
function withMatter(rows: Found[], categories: readonly string[]): Related[] {
  const lead = categories[0];
  return rows.map((r) => ({
    ...r,
    sameMatter: lead !== undefined && r.categories[0] === lead && (OPEN as readonly string[]).includes(r.status),
  }));
}

/**
 * Other cases of the same person (keyed hash of the ID number, or the same
 * phone): the heart of 一门受理, which exists to stop duplicate, overlapping and
 * missed aid. A case is "the same matter" when it shares its lead category.
 */
export async function findRelatedCases(
  db: Db,
  c: { id: string; idNumberHash: string | null; phone: string | null; categories: string[] },
  now: Date,
): Promise<Related[]> {
  const who = [
    ...(c.idNumberHash ? [{ idNumberHash: c.idNumberHash }] : []),
    ...(c.phone ? [{ phone: c.phone }] : []),
  ];
  if (who.length === 0) return [];
  const rows = await db.case.findMany({
    where: {
      id: { not: c.id },
      OR: who,
      status: { notIn: [...NOT_RELATED] },
      createdAt: { gt: since(now) },
    },
    orderBy: { createdAt: 'desc' },
    take: MAX_RELATED,
    select: { id: true, trackingNumber: true, categories: true, status: true },
  });
  return withMatter(rows, c.categories);
}

/**
 * The same search as part of a plain-SQL statement (a query whose rows are id, trackingNumber, categories, status, createdAt; newest first),
 * for a hot path that reads what it needs in one round trip (opening a case: src/cases/confirm-case.ts); `except`
 * is an SQL expression for a case id to leave out (may be NULL). Undefined when there is no one to look for.
 */
export function relatedCasesSql(p: SqlParams, c: { idNumberHash: string | null; phone: string | null }, now: Date, except: string): string | undefined {
  const who = [...(c.idNumberHash ? [`"idNumberHash" = ${p.add(c.idNumberHash)}`] : []), ...(c.phone ? [`phone = ${p.add(c.phone)}`] : [])];
  if (who.length === 0) return undefined;
  return `SELECT id, "trackingNumber", categories, status::text AS status, "createdAt" FROM "Case"
     WHERE (${who.join(' OR ')}) AND id IS DISTINCT FROM ${except} AND status::text <> ALL (${p.add([...NOT_RELATED])}::text[]) AND "createdAt" > ${p.add(iso(since(now)))}::timestamp
     ORDER BY "createdAt" DESC LIMIT ${MAX_RELATED}`;
}

/** Rows of relatedCasesSql, told apart by matter against the new case's categories. */
export const relatedFrom = (rows: Found[], categories: readonly string[]): Related[] => withMatter(rows, categories);
