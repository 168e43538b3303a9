import type { Db } from '../db/client.js';
import type { SqlParams } from '../db/statement.js';
import { DAILY_CAPACITY, type TrackingNumbers } from '../domain/tracking-number.js';
import { AppError } from '../errors.js';
import { localParts } from '../referrals/clock/zone.js';

/** The local calendar date (YYYYMMDD) of an instant in the county's timezone: the key of the day's counter. */
export function localDay(at: Date, tz: string): string {
  return localParts(at, tz).date.replaceAll('-', '');
}

/**
 * The tracking number of the day's `value`-th case (src/domain/tracking-number.ts: date, keyed permutation of the
 * counter, check digit). The counter row is incremented atomically, so concurrent intakes never share a value, and the
 * permutation is a bijection, so they never share a number: no retry is needed.
 */
export function trackingNumberOf(tracking: TrackingNumbers, day: string, value: number): string {
  if (value > DAILY_CAPACITY) {
    throw new AppError(
      'tracking_numbers_exhausted',
      `${day} 当日承办编号已用完（每日最多 ${DAILY_CAPACITY} 件），请联系系统管理员 / All ${DAILY_CAPACITY} tracking numbers of ${day} are used`,
      503,
      true,
    );
  }
  return tracking.issue(day, value);
}

export async function nextTrackingNumber(db: Pick<Db, '$queryRaw'>, tracking: TrackingNumbers, at: Date, tz: string): Promise<string> {
  const day = localDay(at, tz);
  const rows = await db.$queryRaw<{ value: number }[]>`
    INSERT INTO "DailyCounter" ("scope", "day", "value") VALUES ('case', ${day}, 1)
    ON CONFLICT ("scope", "day") DO UPDATE SET "value" = "DailyCounter"."value" + 1
    RETURNING "value"`;
  return trackingNumberOf(tracking, day, rows[0]?.value ?? 1);
}

/**
 * Part of a plain-SQL statement (a CTE body, `RETURNING value`): takes the day's next number when `when` (an SQL
 * condition) holds, for a statement that reads what opening a case needs in one round trip (src/cases/confirm-case.ts).
 */
export function nextTrackingValueSql(p: SqlParams, day: string, when: string): string {
  return `INSERT INTO "DailyCounter" ("scope", "day", "value") SELECT 'case', ${p.add(day)}, 1 WHERE ${when}
    ON CONFLICT ("scope", "day") DO UPDATE SET "value" = "DailyCounter"."value" + 1
    RETURNING "value"`;
}
