import type { Db } from '../db/client.js';
import { localParts } from '../jobs/clock/zone.js';

/** The local calendar date (YYYYMMDD) of an instant in the county's timezone. */
export function localDay(at: Date, tz: string): string {
  return localParts(at, tz).date.replaceAll('-', '');
}

/**
 * Tracking numbers (承办编号) are digits only, so a resident on a basic phone can
 * key them in: the local date and a daily sequence, e.g. 202611220007.
 * The counter row is incremented atomically, so concurrent intakes never collide.
 */
export async function nextTrackingNumber(db: Pick<Db, '$queryRaw'>, at: Date, tz: string): Promise<string> {
  const day = localDay(at, tz);
  const rows = await db.$queryRaw<{ value: number }[]>`
    INSERT INTO "DailyCounter" ("scope", "day", "value") VALUES ('case', ${day}, 1)
    ON CONFLICT ("scope", "day") DO UPDATE SET "value" = "DailyCounter"."value" + 1
    RETURNING "value"`;
  const value = rows[0]?.value ?? 1;
  return `${day}${String(value).padStart(4, '0')}`;
}
