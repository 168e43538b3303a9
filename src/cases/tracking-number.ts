import type { Db } from '../db/client.js';
import type { SqlParams } from '../db/statement.js';
import { localParts } from '../referrals/clock/zone.js';

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
  return trackingNumberOf(day, rows[0]?.value ?? 1);
}

/** The tracking number of the day's `value`-th case. */
export const trackingNumberOf = (day: string, value: number) => `${day}${String(value).padStart(4, '0')}`;

/**
 * Part of a plain-SQL statement (a CTE body, `RETURNING value`): takes the day's next number when `when` (an SQL
 * condition) holds, for a statement that reads what opening a case needs in one round trip (src/cases/confirm-case.ts).
 */
export function nextTrackingValueSql(p: SqlParams, day: string, when: string): string {
  return `INSERT INTO "DailyCounter" ("scope", "day", "value") SELECT 'case', ${p.add(day)}, 1 WHERE ${when}
    ON CONFLICT ("scope", "day") DO UPDATE SET "value" = "DailyCounter"."value" + 1
    RETURNING "value"`;
}
