import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnitReport } from '../../src/reports/reports.js';
import type { Referral } from '../../src/generated/prisma/client.js';
import { answerReferral, signReferral } from '../../src/referrals/progress.js';
import { signIn, type ConsoleSession } from '../console/session.js';
import { agency, asScraper, buildWorld, makeReferral, township, type World } from './world.js';

/**
 * Deadlines that tell the truth: every clock a referral runs (sign-for, the urgent one-hour sign-for, transfer, aid
 * first, approval, paperwork, follow-up), once missed, is red in the worklist and the console, counted in the overdue
 * figures and the unit report, and in /metrics, within one sweep of the timers.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);

let w: World;
let supervisor: ConsoleSession;
beforeAll(async () => {
  w = await buildWorld();
  supervisor = await signIn(w, 'supervisor');
});
afterAll(async () => {
  await w?.close();
});

const clerk = () => ({ type: 'staff' as const, id: w.id.zaoyuan, role: 'township_staff' as const });
const sign = (r: Referral, at: Date) => signReferral(w.deps, { trackingNumber: r.trackingNumber, actor: clerk(), now: at });
const answer = (r: Referral, at: Date) => answerReferral(w.deps, { trackingNumber: r.trackingNumber, actor: clerk(), now: at, feedback: { result: '已办理', handler: '赵社工' } });

/** The row of a referral in a console list. */
function rowOf(body: string, trackingNumber: string): string {
  const rows = body.split('<tr').map((r) => r.split('</tr>')[0]!).filter((r) => r.includes(`/console/referrals/${trackingNumber}"`));
  expect(rows, `row of ${trackingNumber}`).toHaveLength(1);
  return rows[0]!;
}

/** One gauge's value from the Prometheus text. */
function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('a county whose work is not yet due', () => {
  it('shows no rate ("—"), not 0.0%, until something is due or done', async () => {
    await makeReferral(w, township('wanggou'), { township: 'wanggou' });
    const units = (await w.api('supervisor', 'GET', '/api/v1/supervision/units')).json().units as { unitCode: string; received: number; signedOnTimeRate: number | null; answeredOnTimeRate: number | null }[];
    expect(units.find((u) => u.unitCode === 'wanggou')).toMatchObject({ received: 1, signedOnTimeRate: null, answeredOnTimeRate: null });
    const page = (await supervisor.get('/console/supervise')).body;
    expect(page).toMatch(/汪沟镇 <span class="small muted">镇街<\/span><\/td><td data-label="收件">1<\/td><td data-label="按时签收率">—<\/td><td data-label="按时办结率">—<\/td>/);
    expect(page).not.toMatch(/按时(签收|办结)率">0\.0%/);
  });
});

describe('a missed deadline of every kind', () => {
  const missed: Record<string, Referral> = {};
  let paperwork: Referral;

  beforeAll(async () => {
    // 签收: never signed for in 15 days (1 working day allowed).
    missed.sign = (await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', at: ago(15 * DAY) })).referral;
    // 签收, urgent: not signed for within the hour; its approval time has weeks left.
    missed.signUrgent = (await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', urgent: true, type: 'emergency', at: ago(2 * HOUR) })).referral;
    // 转办 (notify, 2 working days): signed at once, never answered.
    missed.transfer = (await makeReferral(w, agency('canlian'), { at: ago(15 * DAY), planned: { step: 'notify', role: 'assist', category: 'disability' } })).referral;
    await sign(missed.transfer, ago(15 * DAY - HOUR));
    // 先行救助 (24 hours): signed in ten minutes, no aid given after 30 hours.
    missed.aidFirst = (await makeReferral(w, township('bancheng'), { township: 'bancheng', urgent: true, type: 'emergency', at: ago(30 * HOUR), planned: { step: 'aid_first', category: 'temporary' } })).referral;
    await sign(missed.aidFirst, ago(30 * HOUR - 10 * 60_000));
    // 审核审批 (20 working days): signed the next hour, unanswered after 60 days.
    missed.approval = (await makeReferral(w, agency('minzheng'), { at: ago(60 * DAY) })).referral;
    await sign(missed.approval, ago(60 * DAY - HOUR));
    // 补办手续 (5 working days after aid given first): the aid came in time 20 days ago, the paperwork never did.
    const aid = (await makeReferral(w, township('yitang'), { township: 'yitang', urgent: true, type: 'emergency', at: ago(20 * DAY + 2 * HOUR), planned: { step: 'aid_first', category: 'temporary' } })).referral;
    await sign(aid, ago(20 * DAY + 90 * 60_000));
    await answer(aid, ago(20 * DAY));
    missed.aidAnswered = aid;
    paperwork = await w.env.deps.db.referral.findUniqueOrThrow({ where: { followsId: aid.id } });
    missed.paperwork = paperwork;
    // 回访 (1 working day after the answer): answered 10 days ago; the follow-up timer came due while no worker ran.
    missed.followUp = (await makeReferral(w, township('liguan'), { township: 'liguan', at: ago(30 * DAY) })).referral;
    await sign(missed.followUp, ago(30 * DAY - HOUR));
    await answer(missed.followUp, ago(10 * DAY));
  });

  const OWED: [key: string, kind: string][] = [
    ['sign', 'sign'],
    ['signUrgent', 'sign'],
    ['transfer', 'transfer'],
    ['aidFirst', 'aid_first'],
    ['approval', 'approval'],
    ['paperwork', 'paperwork'],
  ];

  it('is overdue the moment it passes, before any timer ran: the urgent sign-for is not green with hours "left"', async () => {
    const list = await w.api('supervisor', 'GET', '/api/v1/referrals?clock=overdue&status=all&pageSize=200');
    const items = list.json().items as { trackingNumber: string; clock: { state: string; kind: string; label: string; clocks: { kind: string; state: string }[] } }[];
    const byTn = new Map(items.map((i) => [i.trackingNumber, i]));
    for (const [key, kind] of OWED) expect(byTn.get(missed[key]!.trackingNumber)?.clock, key).toMatchObject({ state: 'overdue', kind, label: '已超期' });
    // Both follow-ups (the aid's and the answered approval's) are owed and late too.
    for (const key of ['followUp', 'aidAnswered']) expect(byTn.get(missed[key]!.trackingNumber)?.clock, key).toMatchObject({ state: 'overdue', kind: 'follow_up' });
    const urgent = byTn.get(missed.signUrgent!.trackingNumber)!;
    expect(urgent.clock.clocks.map((c) => [c.kind, c.state])).toEqual([['sign', 'overdue'], ['approval', 'on_time']]);

    const metrics = (await w.env.app.inject({ method: 'GET', url: '/metrics', headers: asScraper })).body;
    expect(metric(metrics, 'hotline_deadlines', 'kind="follow_up",state="overdue"')).toBe(2);
    expect(metric(metrics, 'hotline_deadlines', 'kind="sign",state="overdue"')).toBe(2);
  });

  describe('after one sweep of the timers', () => {
    beforeAll(async () => {
      await w.jobs.startWorkers(); // the sweep runs at worker start
      await w.jobs.fireDue();
    });

    it('each is red in the console worklist, with the clock that was missed', async () => {
      const overdue = (await supervisor.get('/console/referrals?clock=overdue&status=all&pageSize=200')).body;
      const LABELS: Record<string, string> = { sign: '签收', transfer: '转办', aid_first: '先行救助', approval: '审核审批', paperwork: '补办手续' };
      for (const [key, kind] of OWED) {
        const row = rowOf(overdue, missed[key]!.trackingNumber);
        expect(row, key).toContain('<span class="badge clock-overdue">已超期</span>');
        expect(row, key).toContain(`<span class="small">${LABELS[kind]}</span>`);
        expect(row, key).not.toContain('clock-on_time');
      }
      expect(rowOf(overdue, missed.signUrgent!.trackingNumber)).toMatch(/超期\d+小时|超期\d+分钟/);
      expect(rowOf(overdue, missed.signUrgent!.trackingNumber)).not.toContain('剩余');

      // The follow-up went out in the sweep, a day late: it stays red as done late.
      const answered = (await supervisor.get('/console/referrals?status=answered')).body;
      for (const key of ['followUp', 'aidAnswered']) {
        expect(rowOf(answered, missed[key]!.trackingNumber), key).toContain('<span class="badge clock-done_late">超期回访</span>');
      }
      const detail = (await supervisor.get(`/console/referrals/${missed.followUp!.trackingNumber}`)).body;
      expect(detail).toContain('<span class="badge clock-done_late">超期回访</span>');
      expect(detail).toContain('<span class="badge clock-on_time">按时签收</span>');
    });

    it('each is counted: the dashboard, the overdue filter and the unit report', async () => {
      const dashboard = (await supervisor.get('/console/supervise')).body;
      expect(dashboard).toContain('<strong>6</strong>已超期');
      const list = await w.api('supervisor', 'GET', '/api/v1/referrals?clock=overdue&status=all&pageSize=200');
      expect(list.json().total).toBe(6);

      const report = await buildUnitReport(w.env.deps, { from: ago(90 * DAY), to: new Date(Date.now() + DAY), asOf: new Date() });
      const figures = (kind: string, code: string) => report.find((u) => u.unitKind === kind && u.unitCode === code)!.figures;
      // Every referral above missed something; the aid itself was on time but its follow-up was not.
      expect(report.reduce((n, u) => n + u.figures.overdue, 0)).toBe(8);
      expect(figures('township', 'zaoyuan')).toMatchObject({ received: 2, overdue: 2, signDue: 2, signedOnTime: 0 });
      expect(figures('township', 'bancheng')).toMatchObject({ received: 1, overdue: 1, signDue: 1, signedOnTime: 1, answerDue: 1, answeredOnTime: 0 });
      expect(figures('agency', 'minzheng')).toMatchObject({ overdue: 1, answerDue: 1, answeredOnTime: 0 });
    });

    it('each is in /metrics, by kind', async () => {
      const text = (await w.env.app.inject({ method: 'GET', url: '/metrics', headers: asScraper })).body;
      const owed = (kind: string) => metric(text, 'hotline_deadlines', `kind="${kind}",state="overdue"`);
      expect(owed('sign')).toBe(2);
      expect(owed('transfer')).toBe(1);
      expect(owed('aid_first')).toBe(1);
      expect(owed('approval')).toBe(1);
      expect(owed('paperwork')).toBe(1);
      expect(metric(text, 'hotline_deadlines', 'kind="follow_up",state="done_late"')).toBe(2);
      expect(metric(text, 'hotline_referrals_overdue')).toBe(6);
    });
  });
});
