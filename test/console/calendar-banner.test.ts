import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/referrals/clock/calendar.js';
import { calendarNotices } from '../../src/staff/calendar-notice.js';
import { OFFICIAL_2027 } from '../referrals/clock/official-2027.js';
import { buildWorld, makeReferral, township, type World } from '../staff/world.js';
import { signIn } from './session.js';

/** The supervisor dashboard says when deadlines count a holiday calendar the State Council has not published yet. */

const at = (local: string) => new Date(`${local}+08:00`);
const NOW = at('2026-12-21T10:00:00');
const BANNER = '2027年节假日安排尚未发布，暂按推算的法定节假日计算，调休以国务院公布为准';

let w: World;
beforeAll(async () => {
  w = await buildWorld({}, { now: () => NOW });
});
afterAll(async () => {
  await w?.close();
});

describe('the provisional-calendar banner', () => {
  it('shows on the supervisor dashboard in December 2026, when clocks opened now run into 2027', async () => {
    const s = await signIn(w, 'supervisor');
    const page = (await s.get('/console/supervise')).body;
    expect(page).toContain(`<p class="notice warn" role="status" data-calendar-year="2027">${BANNER}。</p>`);
    expect(page.match(/data-calendar-year=/g)).toHaveLength(1);
  });

  it('names the years clocks run through: none in June with nothing owed, 2027 once work runs into it', async () => {
    const deps = { ...w.env.deps, calendar: createWorkCalendar() };
    expect(await calendarNotices(deps, at('2026-06-01T10:00:00'))).toEqual([]);
    await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: at('2026-12-21T09:00:00') });
    expect(await calendarNotices(deps, at('2026-06-01T10:00:00'))).toEqual([{ year: 2027, source: 'provisional', text: BANNER }]);
  });

  it('is gone once the county file has the published schedule', async () => {
    expect(await calendarNotices({ ...w.env.deps, calendar: createWorkCalendar({ overrides: OFFICIAL_2027 }) }, NOW)).toEqual([]);
  });
});
