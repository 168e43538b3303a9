import { describe, expect, it } from 'vitest';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import { approveExtension, requestExtension } from '../../src/referrals/extension.js';
import { pauseClock, resumeClock } from '../../src/referrals/pause.js';
import type { TimerStep } from '../../src/referrals/ports.js';
import { signReferral, startReferral } from '../../src/referrals/progress.js';
import { returnReferral } from '../../src/referrals/return.js';
import { DAY, makeReferral, sentTo, timerStates, useHarness, useStaff } from '../jobs/harness.js';

const at = (iso: string) => new Date(iso);
const START = '2026-11-02T09:00:00+08:00';

const h = useHarness({ start: START });
const clerk = useStaff(h, 'township_staff', 'zaoyuan01');
const supervisor = useStaff(h, 'supervisor', 'window01');

const now = () => h.clock.now();
const zaoyuan = { kind: 'township' as const, code: 'zaoyuan' };

/** When the delayed job of a step will run, by the test clock (which must not have moved since it was armed). */
async function jobDueAt(referralId: string, step: TimerStep): Promise<Date | undefined> {
  const job = await h.jobs.queues.timers.getJob(timerJobId(referralId, step));
  if (!job || (await job.getState()) !== 'delayed') return undefined;
  return new Date(now().getTime() + job.delay);
}

describe('return as not ours (退回) and re-routing', () => {
  it('re-routes to the unit the window names: the return ends, a new referral with the next number starts its own clock', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { category: 'housing', step: 'handle', unit: zaoyuan });
    h.clock.advance(2 * 3_600_000);
    const { returned, replacement } = await returnReferral(h.deps, {
      trackingNumber: r.trackingNumber,
      reason: '危房改造由住建局负责',
      reroute: { kind: 'agency', code: 'zhujian' },
      actor: clerk,
      now: now(),
    });
    expect(returned).toMatchObject({ status: 'returned', returnReason: '危房改造由住建局负责', returnedAt: now() });
    expect(Object.values(await timerStates(h, r.id)).map((t) => t.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await h.jobs.queues.timers.getJob(timerJobId(r.id, 'urge'))).toBeUndefined();

    expect(replacement.trackingNumber).toBe(r.trackingNumber.replace(/-1$/, '-2'));
    expect(replacement).toMatchObject({ status: 'dispatched', unitKind: 'agency', agencyId: h.env.deps.directory.agencyId('zhujian'), category: 'housing', dispatchedAt: now() });
    expect(replacement.dueAt).toEqual(at('2026-11-30T11:00:00+08:00'));
    expect(await jobDueAt(replacement.id, 'urge')).toEqual(replacement.dueAt);
    await h.jobs.settle();
    expect(sentTo(h, 'zhujian01').map((m) => m.content)).toEqual([expect.stringContaining(replacement.trackingNumber)]);
    const event = await h.env.deps.db.auditEvent.findFirstOrThrow({ where: { referralId: r.id, action: 'referral.return' } });
    expect(event).toMatchObject({ reason: '危房改造由住建局负责', after: { status: 'returned', reroutedTo: replacement.trackingNumber } });
  });

  it('sends it to the county window for manual dispatch when no unit is named', async () => {
    const r = await makeReferral(h, { unit: zaoyuan });
    const { replacement } = await returnReferral(h.deps, { trackingNumber: r.trackingNumber, reason: '户籍不在本镇', actor: clerk, now: now() });
    expect(replacement).toMatchObject({ unitKind: 'county_window', agencyId: h.env.deps.directory.agencyId('minzheng'), townshipId: null });
    await h.jobs.settle();
    expect(sentTo(h, 'window01').at(-1)?.content).toContain(replacement.trackingNumber);
  });

  it('needs a reason and a unit the directory knows, other than the one returning it', async () => {
    const r = await makeReferral(h, { unit: zaoyuan });
    const base = { trackingNumber: r.trackingNumber, actor: clerk, now: now() };
    await expect(returnReferral(h.deps, { ...base, reason: '  ' })).rejects.toMatchObject({ code: 'reason_required', status: 400 });
    await expect(returnReferral(h.deps, { ...base, reason: '不是我们的', reroute: { kind: 'agency', code: 'nasa' } })).rejects.toMatchObject({ code: 'unknown_unit' });
    await expect(returnReferral(h.deps, { ...base, reason: '不是我们的', reroute: zaoyuan })).rejects.toMatchObject({ code: 'reroute_to_same_unit' });
    expect((await h.env.deps.db.referral.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('dispatched');
  });
});

describe('extension (延期)', () => {
  it('is requested with a reason and a later date, approved by a supervisor, and moves the deadline and every timer', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: zaoyuan });
    await signReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
    await startReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
    // The reminder has fired (75% of 20 working days) when the township asks for more time.
    h.clock.set('2026-11-24T09:00:00+08:00');
    expect(await h.jobs.fireDue()).toBeGreaterThanOrEqual(1);
    expect((await timerStates(h, r.id)).reminder?.state).toBe('fired');

    const wanted = at('2026-12-14T09:00:00+08:00');
    const requested = await requestExtension(h.deps, { trackingNumber: r.trackingNumber, reason: '需等待残联鉴定结果', dueAt: wanted, actor: clerk, now: now() });
    expect(requested).toMatchObject({ extensionReason: '需等待残联鉴定结果', extensionDueAt: wanted, dueAt: r.dueAt, extensionApprovedAt: null });
    await expect(approveExtension(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() })).rejects.toMatchObject({ code: 'forbidden', status: 403 });

    const approved = await approveExtension(h.deps, { trackingNumber: r.trackingNumber, actor: supervisor, now: now() });
    expect(approved).toMatchObject({ dueAt: wanted, extensionApprovedAt: now(), extensionApprovedById: (supervisor as { id: string }).id });
    const timers = await timerStates(h, r.id);
    const reminderAt = new Date(r.dispatchedAt!.getTime() + Math.round((wanted.getTime() - r.dispatchedAt!.getTime()) * 0.75));
    expect(timers).toMatchObject({
      reminder: { state: 'pending', dueAt: reminderAt },
      urge: { state: 'pending', dueAt: wanted },
      supervise: { state: 'pending', dueAt: at('2026-12-15T09:00:00+08:00') },
    });
    expect(await jobDueAt(r.id, 'urge')).toEqual(wanted);
    expect(await jobDueAt(r.id, 'reminder')).toEqual(reminderAt);
    await expect(approveExtension(h.deps, { trackingNumber: r.trackingNumber, actor: supervisor, now: now() })).rejects.toMatchObject({ code: 'no_extension_requested', status: 409 });
    await h.jobs.settle();
    expect(sentTo(h, 'window01').some((m) => m.content.startsWith('【延期申请】'))).toBe(true);
    expect(sentTo(h, 'zaoyuan01').some((m) => m.content.startsWith('【延期已批准】'))).toBe(true);
  });

  it('refuses a date that is not later than the current deadline', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: zaoyuan });
    await signReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
    await expect(
      requestExtension(h.deps, { trackingNumber: r.trackingNumber, reason: '材料不全', dueAt: new Date(r.dueAt.getTime() - DAY), actor: clerk, now: now() }),
    ).rejects.toMatchObject({ code: 'extension_not_later' });
  });
});

describe('pause and resume (暂停计时)', () => {
  it('disarms the timers while paused, skips a step that comes due meanwhile, and on resume moves deadlines by the pause', async () => {
    h.clock.set(START);
    const r = await makeReferral(h, { unit: zaoyuan });
    const paused = await pauseClock(h.deps, { trackingNumber: r.trackingNumber, reason: 'waiting_resident', actor: clerk, now: now() });
    expect(paused.status).toBe('dispatched');
    expect(await h.jobs.queues.timers.getJob(timerJobId(r.id, 'reminder'))).toBeUndefined();
    await expect(pauseClock(h.deps, { trackingNumber: r.trackingNumber, reason: 'waiting_resident', actor: clerk, now: now() })).rejects.toMatchObject({ code: 'already_paused' });

    // The sweep re-adds pending timers even while paused; one coming due then must not fire.
    const pauseMs = 22 * DAY; // the reminder (day 21) comes due meanwhile
    h.clock.advance(pauseMs);
    await h.jobs.rebuildTimers();
    await h.jobs.fireDue();
    expect((await timerStates(h, r.id)).reminder?.state).toBe('pending');
    expect(await h.env.deps.db.auditEvent.count({ where: { referralId: r.id, action: { startsWith: 'referral.timer.' } } })).toBe(0);

    const resumed = await resumeClock(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
    expect(resumed.dueAt).toEqual(new Date(r.dueAt.getTime() + pauseMs));
    expect(resumed.signDueAt).toEqual(new Date(r.signDueAt.getTime() + pauseMs));
    const pause = await h.env.deps.db.referralPause.findFirstOrThrow({ where: { referralId: r.id } });
    expect(pause).toMatchObject({ reason: 'waiting_resident', to: now() });
    const timers = await timerStates(h, r.id);
    expect(timers.urge).toMatchObject({ state: 'pending', dueAt: resumed.dueAt });
    for (const step of ['reminder', 'urge', 'supervise'] as const) expect(await jobDueAt(r.id, step)).toEqual(timers[step]!.dueAt);
    await expect(resumeClock(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() })).rejects.toMatchObject({ code: 'not_paused', status: 409 });
  });
});
