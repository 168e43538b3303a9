import { describe, expect, it } from 'vitest';
import { approveExtension, requestExtension } from '../../src/referrals/extension.js';
import { recordFollowUp } from '../../src/referrals/follow-up.js';
import { mergeReferral } from '../../src/referrals/merge.js';
import { pauseClock, resumeClock } from '../../src/referrals/pause.js';
import type { Actor } from '../../src/referrals/ports.js';
import { answerReferral, signReferral, startReferral } from '../../src/referrals/progress.js';
import { returnReferral } from '../../src/referrals/return.js';
import { TRANSITIONS, type ReferralAction } from '../../src/referrals/transitions.js';
import { makeReferral, useHarness, useStaff } from '../jobs/harness.js';

const at = (iso: string) => new Date(iso);
const feedback = { result: '已审核通过', handler: '李明' };

// No messages are the point here, so the workers stay off: staged messages simply wait in their queue.
const h = useHarness({ workers: false });
const clerk = useStaff(h, 'agency_staff', 'minzheng01');
const supervisor = useStaff(h, 'supervisor', 'window01');
const resident: Actor = { type: 'resident' };

const now = () => h.clock.now();
const minzheng = { kind: 'agency' as const, code: 'minzheng' };

async function answered() {
  const r = await makeReferral(h, { unit: minzheng });
  await signReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now() });
  return answerReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now(), feedback });
}

describe('the transition table', () => {
  it('refuses to answer an unsigned referral with a 409 that says, in Mandarin and English, to sign first', async () => {
    const r = await makeReferral(h, { unit: minzheng });
    const err = await answerReferral(h.deps, { trackingNumber: r.trackingNumber, actor: clerk, now: now(), feedback }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_transition', status: 409, details: { status: 'dispatched', action: 'answer', doFirst: 'sign' } });
    expect((err as Error).message).toContain('请先签收');
    expect((err as Error).message).toContain('sign for it first');
    expect((await h.env.deps.db.referral.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('dispatched');
  });

  it('refuses every action the table does not allow from each status, changing nothing', async () => {
    const { db } = h.env.deps;
    const target = await makeReferral(h, { unit: minzheng });
    const inStatus: Record<string, string> = {};
    const fresh = () => makeReferral(h, { unit: minzheng });
    inStatus.dispatched = (await fresh()).trackingNumber;
    const s = await fresh();
    inStatus.signed = (await signReferral(h.deps, { trackingNumber: s.trackingNumber, actor: clerk, now: now() })).trackingNumber;
    const p = await fresh();
    await signReferral(h.deps, { trackingNumber: p.trackingNumber, actor: clerk, now: now() });
    inStatus.in_progress = (await startReferral(h.deps, { trackingNumber: p.trackingNumber, actor: clerk, now: now() })).trackingNumber;
    inStatus.answered = (await answered()).trackingNumber;
    const c = await answered();
    inStatus.closed = (await recordFollowUp(h.deps, { trackingNumber: c.trackingNumber, satisfied: true, actor: resident, now: now() })).trackingNumber;
    const rt = await fresh();
    inStatus.returned = (await returnReferral(h.deps, { trackingNumber: rt.trackingNumber, reason: '不属于本单位职责', actor: clerk, now: now() })).returned.trackingNumber;
    const m = await fresh();
    inStatus.merged = (await mergeReferral(h.deps, { trackingNumber: m.trackingNumber, intoTrackingNumber: target.trackingNumber, actor: supervisor, now: now() })).trackingNumber;

    const step = (trackingNumber: string) => ({ trackingNumber, actor: clerk, now: now() });
    const call: Record<ReferralAction, (tn: string) => Promise<unknown>> = {
      sign: (tn) => signReferral(h.deps, step(tn)),
      start: (tn) => startReferral(h.deps, step(tn)),
      answer: (tn) => answerReferral(h.deps, { ...step(tn), feedback }),
      return: (tn) => returnReferral(h.deps, { ...step(tn), reason: '不属于本单位职责' }),
      request_extension: (tn) => requestExtension(h.deps, { ...step(tn), reason: '需补充材料', dueAt: at('2027-06-01T09:00:00+08:00') }),
      approve_extension: (tn) => approveExtension(h.deps, { ...step(tn), actor: supervisor }),
      pause: (tn) => pauseClock(h.deps, { ...step(tn), reason: 'waiting_resident' }),
      resume: (tn) => resumeClock(h.deps, step(tn)),
      follow_up_satisfied: (tn) => recordFollowUp(h.deps, { ...step(tn), satisfied: true, actor: resident }),
      follow_up_not_satisfied: (tn) => recordFollowUp(h.deps, { ...step(tn), satisfied: false, actor: resident }),
      merge: (tn) => mergeReferral(h.deps, { ...step(tn), intoTrackingNumber: target.trackingNumber }),
    };
    const auditBefore = await db.auditEvent.count();
    const refusals = (Object.keys(TRANSITIONS) as ReferralAction[]).flatMap((action) =>
      Object.entries(inStatus)
        .filter(([status]) => !TRANSITIONS[action].from.includes(status as never))
        .map(async ([status, tn]) => ({ action, status, err: await call[action](tn).then(() => undefined, (e: unknown) => e) })),
    );
    const results = await Promise.all(refusals);
    for (const { action, status, err } of results) {
      expect(err, `${action} from ${status}`).toMatchObject({ code: 'invalid_transition', status: 409, details: { status, action } });
      expect((err as Error).message).toMatch(/[\u4e00-\u9fff].* \/ Referral /);
    }
    const refused = results.length;
    expect(refused).toBe(54);
    expect(await db.auditEvent.count()).toBe(auditBefore);
    const statuses = await db.referral.findMany({ where: { trackingNumber: { in: Object.values(inStatus) } }, select: { trackingNumber: true, status: true } });
    expect(Object.fromEntries(statuses.map((r) => [r.status, r.trackingNumber]))).toEqual(inStatus);
  });
});
