import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { createCountyCalendar } from '../../../src/referrals/clock/county-calendar.js';
import { createLogger } from '../../../src/logging.js';
import { OFFICIAL_2027 } from './official-2027.js';

const at = (local: string) => new Date(`${local}+08:00`);

function captured() {
  const lines: { code?: string; msg: string; years?: number[]; year?: number }[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('the county calendar at start', () => {
  it('says in one line, in December 2026, that 2027 counts a provisional calendar; later counts into 2027 add nothing', async () => {
    const dir = await loadDirectoryFile('data/counties/lanshan.json');
    const { logger, lines } = captured();
    const cal = createCountyCalendar(dir, logger, at('2026-12-21T10:00:00'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ code: 'calendar_provisional', years: [2027] });
    expect(lines[0]!.msg).toContain('2027年节假日安排尚未发布，暂按推算的法定节假日计算，调休以国务院公布为准');
    cal.addWorkingDays('2026-12-20', 60);
    expect(lines).toHaveLength(1);
    // A year further out is said once, when a deadline first reaches it.
    cal.isWorkday('2029-03-01');
    cal.isWorkday('2029-03-02');
    expect(lines.slice(1)).toMatchObject([{ code: 'calendar_year_missing', year: 2029 }]);
  });

  it('says nothing when the county file has the published schedule for next year', async () => {
    const dir = await loadDirectoryFile('data/counties/lanshan.json');
    const { logger, lines } = captured();
    const cal = createCountyCalendar({ ...dir, calendar: OFFICIAL_2027 }, logger, at('2026-12-21T10:00:00'));
    expect(lines).toEqual([]);
    expect(cal.sourceOf(2027)).toBe('official');
    expect(cal.isWorkday('2027-02-20')).toBe(true);
  });
});
