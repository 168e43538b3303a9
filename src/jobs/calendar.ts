import type { CountyDirectory } from '../directory/schema.js';
import type { Logger } from '../logging.js';
import { createWorkCalendar, type WorkCalendar } from './clock/calendar.js';

/**
 * The county's working-day calendar, built once per process from chinese-days plus the directory's overrides.
 * A year without holiday data is counted Monday to Friday, and said once, not on every deadline.
 */
export function createCountyCalendar(directory: CountyDirectory, logger: Logger): WorkCalendar {
  const warned = new Set<string>();
  return createWorkCalendar({
    overrides: directory.calendar,
    warn(msg, data) {
      if (warned.has(msg)) return;
      warned.add(msg);
      logger.warn(
        { ...data, code: 'calendar_year_missing' },
        `${msg}: add that year's holidays and make-up workdays to the county file's "calendar" once the State Council publishes them`,
      );
    },
  });
}
