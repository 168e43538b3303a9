import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { timerJobId } from '../../src/jobs/timer-jobs.js';
import { createReferrals } from '../../src/referrals/create.js';
import type { PlannedReferral } from '../../src/routing/types.js';
import { makeCase, plan, sentTo, useHarness } from '../jobs/harness.js';

const at = (iso: string) => new Date(iso);
const PHONE = '13812345678';
const ID_NUMBER = '11010519491231002X';

const h = useHarness();

/** An application case's referrals, dispatched now by the test clock unless said. */
const referApplication = (c: { id: string; trackingNumber: string }, planned: PlannedReferral[], now = h.clock.now()) =>
  createReferrals(h.deps, { caseId: c.id, caseTrackingNumber: c.trackingNumber, caseType: 'application', urgent: false, now, planned });

describe('createReferrals', () => {
  it('creates one dispatched referral per planned item with deadlines, timers, jobs, an announcement and audit events', async () => {
    const c = await makeCase(h, { townshipCode: 'zaoyuan', phone: PHONE });
    const now = h.clock.now(); // Mon 2026-11-02 09:00 Shanghai
    const { created, referrals } = await referApplication(
      c,
      [
        plan({ category: 'minimum_living', role: 'assist', step: 'investigate', unit: { kind: 'township', code: 'zaoyuan' } }),
        plan({ category: 'minimum_living', role: 'lead', step: 'handle', unit: { kind: 'agency', code: 'minzheng' } }),
        plan({ category: 'disability', role: 'assist', step: 'handle', unit: { kind: 'agency', code: 'canlian' } }),
      ],
      now,
    );
    expect(created).toBe(true);
    expect(referrals.map((r) => r.trackingNumber)).toEqual([1, 2, 3].map((n) => `${c.trackingNumber}-${n}`));
    const { db, directory } = h.env.deps;
    const [township, lead, disability] = referrals as [(typeof referrals)[0], (typeof referrals)[0], (typeof referrals)[0]];
    for (const r of referrals) {
      expect(r.status).toBe('dispatched');
      expect(r.dispatchedAt).toEqual(now);
      // Sign: 1 working day; handle: 20 working days (Mon 11-02 + 20 = Mon 11-30), disability 10 (Mon 11-16).
      expect(r.signDueAt).toEqual(at('2026-11-03T09:00:00+08:00'));
    }
    expect(township.unitKind).toBe('township');
    expect(township.townshipId).toBe(directory.townshipId('zaoyuan'));
    expect(lead.agencyId).toBe(directory.agencyId('minzheng'));
    expect(lead.dueAt).toEqual(at('2026-11-30T09:00:00+08:00'));
    expect(disability.dueAt).toEqual(at('2026-11-16T09:00:00+08:00'));

    const timers = await db.referralTimer.findMany({ where: { referralId: lead.id }, orderBy: { dueAt: 'asc' } });
    expect(timers.map((t) => [t.step, t.dueAt])).toEqual([
      ['reminder', new Date(now.getTime() + Math.round((lead.dueAt.getTime() - now.getTime()) * 0.75))],
      ['urge', lead.dueAt],
      ['supervise', at('2026-12-01T09:00:00+08:00')],
    ]);
    for (const t of timers) {
      const job = await h.jobs.queues.timers.getJob(timerJobId(lead.id, t.step as 'urge'));
      expect(await job?.getState()).toBe('delayed');
      expect(job?.delay).toBe(t.dueAt.getTime() - now.getTime());
    }

    const audit = await db.auditEvent.findMany({ where: { caseId: c.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['referral.dispatched', 'referral.dispatched', 'referral.dispatched', 'case.referred']);
    expect((await db.case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('routed');

    await h.jobs.settle();
    const toTownship = sentTo(h, 'zaoyuan01');
    expect(toTownship).toHaveLength(1);
    expect(toTownship[0]!.content).toContain(township.trackingNumber);
    expect(toTownship[0]!.content).toContain('最低生活保障');
    expect(toTownship[0]!.content).toContain('枣园镇');
    expect(toTownship[0]!.content).toContain(`https://hotline.example.org/console/referrals/${township.trackingNumber}`);
    expect(sentTo(h, 'minzheng01').map((m) => m.content)).toEqual([expect.stringContaining(lead.trackingNumber)]);
    expect(sentTo(h, 'canlian01').map((m) => m.content)).toEqual([expect.stringContaining('残疾人救助')]);
    const stored = await db.message.findMany({ where: { direction: 'outbound', idempotencyKey: { startsWith: `referral.${lead.id}.announce` } } });
    expect(stored.map((m) => [m.channel, m.recipient, m.status])).toEqual([['wecom_app', 'minzheng01', 'sent']]);
  });

  it('never puts a full phone or ID number in the announcement or the logs', async () => {
    const c = await makeCase(h, { townshipCode: 'bancheng', phone: PHONE });
    await h.env.deps.db.case.update({ where: { id: c.id }, data: { reason: `身份证 ${ID_NUMBER} 电话 ${PHONE}` } });
    await referApplication(c, [plan({ step: 'investigate', unit: { kind: 'township', code: 'bancheng' } })]);
    await h.jobs.settle();
    const [announcement] = sentTo(h, 'bancheng01');
    expect(announcement!.content).toContain(`${c.trackingNumber}-1`);
    for (const text of [announcement!.content, h.env.logs.join('\n')]) {
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    }
  });

  it('is idempotent per case: a second call returns the same referrals and creates, arms and sends nothing', async () => {
    const c = await makeCase(h, { townshipCode: 'liuqing' });
    const input = {
      caseId: c.id,
      caseTrackingNumber: c.trackingNumber,
      caseType: 'application' as const,
      urgent: false,
      now: h.clock.now(),
      planned: [plan({ step: 'investigate', unit: { kind: 'township', code: 'liuqing' } })],
    };
    const [first, second] = await Promise.all([createReferrals(h.deps, input), createReferrals(h.deps, input)]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(second.referrals.map((r) => r.id)).toEqual(first.referrals.map((r) => r.id));
    const third = await createReferrals(h.deps, input);
    expect(third.created).toBe(false);
    await h.jobs.settle();
    const { db } = h.env.deps;
    expect(await db.referral.count({ where: { caseId: c.id } })).toBe(1);
    expect(await db.referralTimer.count({ where: { referralId: first.referrals[0]!.id } })).toBe(3);
    expect(sentTo(h, 'liuqing01')).toHaveLength(1);
  });

  it('gives an urgent referral a one-hour sign deadline and a duty step', async () => {
    const c = await makeCase(h, { townshipCode: 'yitang', urgent: true });
    const now = h.clock.now();
    const { referrals } = await createReferrals(h.deps, {
      caseId: c.id,
      caseTrackingNumber: c.trackingNumber,
      caseType: 'emergency',
      urgent: true,
      now,
      planned: [plan({ category: 'temporary', role: 'assist', step: 'aid_first', unit: { kind: 'township', code: 'yitang' } })],
    });
    const r = referrals[0]!;
    expect(r.urgent).toBe(true);
    expect(r.signDueAt).toEqual(new Date(now.getTime() + 3_600_000));
    expect(r.dueAt).toEqual(new Date(now.getTime() + 24 * 3_600_000));
    const duty = await h.env.deps.db.referralTimer.findUniqueOrThrow({ where: { referralId_step: { referralId: r.id, step: 'duty' } } });
    expect(duty.dueAt).toEqual(r.signDueAt);
    await h.jobs.settle();
    expect(sentTo(h, 'yitang01')[0]!.content).toMatch(/^【紧急转办件】/);
  });

  it('counts working days through the National Day holiday: created Wed 2026-09-30, transfer due Fri 2026-10-09', async () => {
    const holidays: Record<string, string> = data.holidays;
    for (let d = 1; d <= 7; d++) expect(holidays[`2026-10-0${d}`]).toContain('国庆节');
    expect(holidays['2026-10-08']).toBeUndefined();
    const c = await makeCase(h, { townshipCode: 'fangcheng' });
    // The job clock moves too, or the timers of a September referral would all be overdue and fire now.
    const later = h.clock.now();
    h.clock.set('2026-09-30T10:00:00+08:00');
    const { referrals } = await referApplication(c, [plan({ category: 'housing', role: 'assist', step: 'notify', unit: { kind: 'township', code: 'fangcheng' } })]);
    expect(referrals[0]!.dueAt).toEqual(at('2026-10-09T10:00:00+08:00'));
    expect(referrals[0]!.signDueAt).toEqual(at('2026-10-08T10:00:00+08:00'));
    await h.jobs.settle();
    h.clock.set(later);
  });

  it('sends a referral for a unit the directory does not know to the county window instead of dropping it', async () => {
    const c = await makeCase(h);
    const { referrals } = await referApplication(c, [plan({ unit: { kind: 'township', code: 'atlantis' } })]);
    expect(referrals[0]!.unitKind).toBe('county_window');
    expect(referrals[0]!.agencyId).toBe(h.env.deps.directory.agencyId('minzheng'));
    await h.jobs.settle();
    expect(sentTo(h, 'window01').map((m) => m.content)).toEqual([expect.stringContaining('未确定，请窗口人工派发')]);
  });

  it('refuses an empty plan and a case number that does not match the case', async () => {
    const c = await makeCase(h);
    const base = { caseId: c.id, caseTrackingNumber: c.trackingNumber, caseType: 'application' as const, urgent: false, now: h.clock.now() };
    await expect(createReferrals(h.deps, { ...base, planned: [] })).rejects.toMatchObject({ code: 'invalid_referral_plan', status: 400 });
    await expect(
      createReferrals(h.deps, { ...base, caseTrackingNumber: '000000000000', planned: [plan({ unit: { kind: 'agency', code: 'minzheng' } })] }),
    ).rejects.toMatchObject({ code: 'case_mismatch' });
  });
});
