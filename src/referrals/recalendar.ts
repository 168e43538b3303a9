import { createWorkCalendar } from './clock/calendar.js';
import { effectiveDeadline, type Pause } from './clock/pauses.js';
import { localParts } from './clock/zone.js';
import { afterCommit } from './after-commit.js';
import { recordReferralEvent } from './audit.js';
import { lockReferral } from './change.js';
import { CLOCK_STATUSES } from './clock-states.js';
import { followUpAt, handleDeadline, ladder, referralDeadlines } from './clocks.js';
import type { ReferralDeps, TimerChanges } from './ports.js';
import { LADDER_STEPS, noTimerChanges, planTimers } from './timers.js';
import { OPEN_STATUSES } from './transitions.js';
import * as audit from '../audit/record.js';

export interface MovedDeadlines {
  trackingNumber: string;
  before: { signDueAt: Date; dueAt: Date; followUpAt?: Date };
  after: { signDueAt: Date; dueAt: Date; followUpAt?: Date };
}

const same = (a: Date | undefined, b: Date | undefined) => a?.getTime() === b?.getTime();

/**
 * Counts every deadline still owed again on the calendar in `deps.calendar`, as when a county file's published
 * holiday schedule replaces the provisional one for a year: the sign-for deadline of a referral not yet signed, the
 * work deadline of open work (an approved extension keeps the date the supervisor set), and the follow-up of an
 * answer not yet followed up. Each is counted from when its clock started, with the pauses it has already had added
 * back, exactly as when it was first set; its escalation timers move with it, and an audit event records both times.
 * With `years`, only clocks that run through one of those years are touched, so a change of time limits in the same
 * file does not reach back into older referrals. Done clocks are never moved.
 */
export async function recomputeOpenDeadlines(
  deps: ReferralDeps,
  input: { now: Date; years?: ReadonlySet<number>; reason: string },
): Promise<{ checked: number; moved: MovedDeadlines[] }> {
  const { now, years } = input;
  const tz = deps.directory.directory.county.timezone;
  const yearOf = (d: Date) => Number(localParts(d, tz).date.slice(0, 4));
  const touches = (from: Date, ...to: Date[]) => {
    if (!years) return true;
    const last = Math.max(...to.map(yearOf));
    for (let y = yearOf(from); y <= last; y++) if (years.has(y)) return true;
    return false;
  };
  const ids = await deps.db.referral.findMany({ where: { status: { in: [...CLOCK_STATUSES] } }, select: { id: true }, orderBy: { id: 'asc' } });
  const moved: MovedDeadlines[] = [];
  for (const { id } of ids) {
    const done = await deps.db.$transaction(async (tx) => {
      const r = await lockReferral(tx, { id });
      if (!r || !CLOCK_STATUSES.includes(r.status)) return undefined;
      const before = { signDueAt: r.signDueAt, dueAt: r.dueAt };
      const after = { ...before };
      let followUp: { before: Date; after: Date } | undefined;
      let timers: TimerChanges = noTimerChanges();
      const dispatched = r.dispatchedAt ?? r.createdAt;

      if (OPEN_STATUSES.includes(r.status)) {
        // A reopened referral (重办) runs a fresh work clock from the reopening.
        const reopened =
          r.reopenCount > 0
            ? await tx.auditEvent.findFirst({ where: { referralId: r.id, action: 'referral.follow_up_not_satisfied' }, orderBy: { id: 'desc' }, select: { at: true } })
            : null;
        const workStart = reopened?.at ?? dispatched;
        const pauses: Pause[] = (await tx.referralPause.findMany({ where: { referralId: r.id, to: { not: null } } })).map((p) => ({ from: p.from, to: p.to }));
        const since = (start: Date) => pauses.filter((p) => p.from >= start);
        const base = referralDeadlines(deps, r, dispatched);
        if (!r.signedAt) after.signDueAt = effectiveDeadline(base.sign, since(dispatched), now);
        if (!r.extensionApprovedAt) {
          const work = reopened ? handleDeadline(deps, r, workStart) : base.handle;
          after.dueAt = effectiveDeadline(work, since(workStart), now);
        }
        const changed = !same(before.signDueAt, after.signDueAt) || !same(before.dueAt, after.dueAt);
        if (!changed || !touches(dispatched, before.signDueAt, after.signDueAt, before.dueAt, after.dueAt)) return undefined;
        timers = await planTimers(tx, r.id, ladder(deps, r, workStart, after.dueAt), { steps: LADDER_STEPS, now });
      } else {
        const row = await tx.referralTimer.findUnique({ where: { referralId_step: { referralId: r.id, step: 'follow_up' } } });
        if (!r.answeredAt || !row || row.firedAt || row.cancelledAt) return undefined;
        const at = followUpAt(deps, r.answeredAt);
        if (same(row.dueAt, at) || !touches(r.answeredAt, row.dueAt, at)) return undefined;
        followUp = { before: row.dueAt, after: at };
        timers = await planTimers(tx, r.id, [{ step: 'follow_up', at }], { steps: ['follow_up'], now });
      }

      const changes: Record<string, [Date, Date]> = {};
      if (!same(before.signDueAt, after.signDueAt)) changes.signDueAt = [before.signDueAt, after.signDueAt];
      if (!same(before.dueAt, after.dueAt)) changes.dueAt = [before.dueAt, after.dueAt];
      if (changes.signDueAt || changes.dueAt) await tx.referral.update({ where: { id: r.id }, data: { signDueAt: after.signDueAt, dueAt: after.dueAt } });
      if (followUp) changes.followUpAt = [followUp.before, followUp.after];
      await recordReferralEvent(tx, {
        at: now,
        actor: { type: 'system' },
        action: 'referral.deadlines_recomputed',
        referral: r,
        before: Object.fromEntries(Object.entries(changes).map(([k, [b]]) => [k, b])),
        after: Object.fromEntries(Object.entries(changes).map(([k, [, a]]) => [k, a])),
        reason: input.reason,
      });
      return {
        timers,
        moved: {
          trackingNumber: r.trackingNumber,
          before: { ...before, ...(followUp ? { followUpAt: followUp.before } : {}) },
          after: { ...after, ...(followUp ? { followUpAt: followUp.after } : {}) },
        },
      };
    });
    if (!done) continue;
    moved.push(done.moved);
    await afterCommit(deps, { trackingNumber: done.moved.trackingNumber, timers: done.timers, messageKeys: [] });
  }
  return { checked: ids.length, moved };
}

/** The years whose working days are compared when the process starts: clocks opened now run through them. */
function yearsAround(deps: Pick<ReferralDeps, 'directory'>, now: Date): number[] {
  const y = Number(localParts(now, deps.directory.directory.county.timezone).date.slice(0, 4));
  return [y - 1, y, y + 1, y + 2];
}

const APPLIED = 'calendar.applied';

/**
 * Run where a county directory takes effect (each worker process loads it at start): compares the calendar of this
 * directory with the one the deadlines were last counted on, year by year, and when a year differs (a published
 * schedule replaced the provisional one, chinese-days gained a year) recomputes the open deadlines that run through
 * it. The calendar applied is recorded as an audit event; before the first record the deadlines were counted on
 * chinese-days alone, with Monday to Friday for years it lacked.
 */
export async function applyCalendarChanges(deps: ReferralDeps, now: Date): Promise<{ changedYears: number[]; checked: number; moved: MovedDeadlines[] }> {
  const years = yearsAround(deps, now);
  const current = Object.fromEntries(years.map((y) => [String(y), deps.calendar.fingerprint(y)]));
  const last = await deps.db.auditEvent.findFirst({ where: { action: APPLIED }, orderBy: { id: 'desc' }, select: { after: true } });
  const recorded = (last?.after as { years?: Record<string, string> } | null)?.years;
  const legacy = recorded ? undefined : createWorkCalendar({ overrides: deps.directory.directory.calendar, provisional: false });
  const previous = (y: number) => recorded?.[String(y)] ?? legacy?.fingerprint(y);
  const changedYears = years.filter((y) => previous(y) !== undefined && previous(y) !== current[String(y)]);
  if (recorded && changedYears.length === 0) return { changedYears, checked: 0, moved: [] };
  const result =
    changedYears.length > 0
      ? await recomputeOpenDeadlines(deps, {
          now,
          years: new Set(changedYears),
          reason: `工作日历变更（${changedYears.map((y) => `${y}年：${deps.calendar.sourceOf(y) === 'official' ? '已公布安排' : '推算安排'}`).join('，')}），重新计算时限`,
        })
      : { checked: 0, moved: [] };
  await audit.record(deps.db, {
    at: now,
    actor: { type: 'system' },
    action: APPLIED,
    entity: 'calendar',
    after: { years: current, sources: Object.fromEntries(years.map((y) => [String(y), deps.calendar.sourceOf(y)])), changedYears, moved: result.moved.length },
  });
  return { changedYears, ...result };
}
