import type { CountyDirectory } from '../../directory/schema.js';
import type { Logger } from '../../logging.js';
import { createWorkCalendar, type WorkCalendar } from './calendar.js';
import { provisionalNotice } from './provisional.js';
import { localParts } from './zone.js';

const HINT = `add the State Council's published schedule (holidays and make-up working days) to the county file's "calendar" and import it again`;

/**
 * The county's working-day calendar, built once per process from chinese-days plus the directory's published
 * schedules; a year with neither is counted on a provisional calendar (derived statutory holidays, no make-up days).
 * At start one log line names this year and next year if either is provisional; any other year missing data is
 * said once, when a deadline first reaches it.
 */
export function createCountyCalendar(
  directory: CountyDirectory,
  logger: Logger,
  now: Date = new Date(),
  /** Where the start-up line goes; the process start passes its own, to say it after where it listens. */
  announce: (data: object, msg: string) => void = (data, msg) => logger.warn(data, msg),
): WorkCalendar {
  const said = new Set<number>();
  const calendar = createWorkCalendar({
    overrides: directory.calendar,
    warn(_msg, { year, source }) {
      if (said.has(year)) return;
      said.add(year);
      logger.warn({ year, source, code: 'calendar_year_missing' }, `${provisionalNotice(year, source)}: ${HINT}`);
    },
  });
  const thisYear = Number(localParts(now, directory.county.timezone).date.slice(0, 4));
  const missing = [thisYear, thisYear + 1].filter((y) => calendar.sourceOf(y) !== 'official');
  if (missing.length > 0) {
    for (const y of missing) said.add(y);
    announce(
      { years: missing, sources: missing.map((y) => calendar.sourceOf(y)), code: 'calendar_provisional' },
      `${missing.map((y) => provisionalNotice(y, calendar.sourceOf(y))).join('；')}: ${HINT}`,
    );
  }
  return calendar;
}
