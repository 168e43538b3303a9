/**
 * The parameters of one plain-SQL statement put together from parts that different modules write. A hot path may
 * change several tables in one statement (a resident's turn: the conversation, the inbound message, the replies),
 * while each table's SQL stays in the one module that owns the table: each part asks here for its `$n`
 * placeholders, so the numbering never clashes.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** The placeholder (`$n`) standing for `value` in the statement. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Statements and parts of statements write UTC timestamps as ISO strings (the zone is ignored by a `timestamp` cast). */
export const iso = (d: Date) => d.toISOString();

/** The database's wall clock in UTC, for `createdAt` columns: rows keep the order they were written in. */
export const CREATED_AT = `(clock_timestamp() AT TIME ZONE 'UTC')`;
