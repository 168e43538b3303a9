import type { Db } from '../db/client.js';

/** Open cases whose matter can still be merged into or linked to. */
const OPEN = ['accepted', 'routed', 'in_progress'] as const;
/** How far back "recent assistance" reaches when looking for the same person. */
const LOOKBACK_DAYS = 365;

export type Related = { id: string; trackingNumber: string; categories: string[]; status: string; sameMatter: boolean };

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
      status: { notIn: ['merged', 'rejected', 'incomplete'] },
      createdAt: { gt: new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000) },
    },
    orderBy: { createdAt: 'desc' },
    take: 20,
    select: { id: true, trackingNumber: true, categories: true, status: true },
  });
  const lead = c.categories[0];
  return rows.map((r) => ({
    ...r,
    sameMatter: lead !== undefined && r.categories[0] === lead && (OPEN as readonly string[]).includes(r.status),
  }));
}
