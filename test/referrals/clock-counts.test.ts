import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_KINDS, CLOCK_STATUSES, clockSelect, countOpenClocks, referralClocks, type OpenClockCounts } from '../../src/referrals/clock-states.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

/**
 * /metrics counts the clocks of every referral in hand in one SQL statement (countOpenClocks), so a scrape does not
 * read a county's referrals into the process that answers residents (issue 15: polling /metrics slowed the SMS
 * webhook). The statement writes out the one deadline rule (referralClocks, deadlineState, a pause moving a deadline
 * on); here both count the same referrals, a few hundred drawn in every state: each status, each step, signed,
 * answered, returned or closed before or after now and their due times, paused before or after a deadline or not at
 * all, follow-up timers planned before or after the answer, fired, cancelled.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const STATUSES = ['created', 'dispatched', 'signed', 'in_progress', 'answered', 'closed', 'returned', 'merged'];
const STEPS = ['investigate', 'handle', 'notify', 'aid_first', 'paperwork'];

/** The count as the rule gives it, one referral at a time (what countOpenClocks did before it was SQL). */
async function byTheRule(now: Date): Promise<OpenClockCounts> {
  const byKind = Object.fromEntries(CLOCK_KINDS.map((k) => [k, { on_time: 0, due_soon: 0, overdue: 0, done_late: 0 }])) as OpenClockCounts['byKind'];
  let overdueReferrals = 0;
  const rows = await env.deps.db.referral.findMany({ where: { status: { in: [...CLOCK_STATUSES] } }, select: clockSelect });
  for (const r of rows) {
    let overdue = false;
    for (const c of referralClocks(r, now)) {
      if (c.done && c.state === 'on_time') continue;
      byKind[c.kind][c.state] += 1;
      if (c.state === 'overdue') overdue = true;
    }
    if (overdue) overdueReferrals += 1;
  }
  return { byKind, overdueReferrals };
}

describe('countOpenClocks', () => {
  it('counts by kind and state exactly as the deadline rule does, referral by referral', async () => {
    const sql = env.deps.sql;
    const now = Date.now();
    // A seeded generator: the same referrals every run.
    let seed = 15;
    const rand = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const day = 86_400_000;
    /** A time within `days` of now (either side), or null one time in `nullOneIn`. */
    const around = (days: number, nullOneIn = 0) => (nullOneIn && rand() < 1 / nullOneIn ? null : new Date(now + (rand() * 2 - 1) * days * day));
    const { rows: townships } = await sql.query<{ id: string }>(`SELECT id FROM "Township" LIMIT 1`);
    for (let i = 0; i < 400; i++) {
      const created = new Date(now - (1 + rand() * 30) * day);
      const dispatched = rand() < 0.9 ? new Date(created.getTime() + rand() * day) : null;
      const caseId = (
        await sql.query<{ id: string }>(
          `INSERT INTO "Case" (id, "trackingNumber", type, status, categories, channel, "createdAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, 'application', 'routed', ARRAY['minimum_living'], 'sms', $2::timestamp, now()) RETURNING id`,
          [`CLK${String(i).padStart(9, '0')}`, created.toISOString()],
        )
      ).rows[0]!.id;
      const answered = around(10, 2);
      const closed = answered && rand() < 0.3 ? new Date(answered.getTime() + rand() * 5 * day) : null;
      const referralId = (
        await sql.query<{ id: string }>(
          `INSERT INTO "Referral" (id, "caseId", "trackingNumber", category, role, step, "unitKind", "townshipId", status, urgent,
                                   "createdAt", "dispatchedAt", "signDueAt", "signedAt", "dueAt", "answeredAt", "returnedAt", "closedAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, $2, 'minimum_living', 'lead', $3::"ReferralStep", 'township', $4, $5::"ReferralStatus", $6,
                   $7::timestamp, $8::timestamp, $9::timestamp, $10::timestamp, $11::timestamp, $12::timestamp, $13::timestamp, $14::timestamp, now())
           RETURNING id`,
          [
            caseId,
            `CLK${String(i).padStart(9, '0')}-1`,
            pick(STEPS),
            townships[0]!.id,
            pick(STATUSES),
            rand() < 0.2,
            created.toISOString(),
            dispatched?.toISOString() ?? null,
            new Date(created.getTime() + rand() * 3 * day).toISOString(),
            around(5, 2)?.toISOString() ?? null,
            new Date(created.getTime() + rand() * 40 * day).toISOString(),
            answered?.toISOString() ?? null,
            around(5, 6) && rand() < 0.15 ? around(5)!.toISOString() : null,
            closed?.toISOString() ?? null,
          ],
        )
      ).rows[0]!.id;
      if (rand() < 0.3) {
        const from = around(15)!;
        const to = rand() < 0.6 ? null : new Date(from.getTime() + rand() * 3 * day);
        await sql.query(`INSERT INTO "ReferralPause" (id, "referralId", reason, "from", "to") VALUES (gen_random_uuid(), $1, 'waiting_materials', $2::timestamp, $3::timestamp)`, [referralId, from.toISOString(), to?.toISOString() ?? null]);
      }
      if (rand() < 0.5) {
        const due = answered && rand() < 0.8 ? new Date(answered.getTime() + (rand() * 12 - 2) * day) : around(10)!;
        await sql.query(`INSERT INTO "ReferralTimer" (id, "referralId", step, "dueAt", "firedAt", "cancelledAt") VALUES (gen_random_uuid(), $1, 'follow_up', $2::timestamp, $3::timestamp, $4::timestamp)`, [
          referralId,
          due.toISOString(),
          rand() < 0.3 ? new Date(due.getTime() + rand() * day).toISOString() : null,
          rand() < 0.2 ? around(5)!.toISOString() : null,
        ]);
      }
    }
    // The same instant for both, and a few more: a deadline crossing between them would not be the rule's fault.
    for (const offset of [0, 3 * day, -2 * day]) {
      const at = new Date(now + offset);
      const expected = await byTheRule(at);
      expect(await countOpenClocks(sql, at)).toEqual(expected);
    }
    // The draw reached every state the count reports.
    const counts = await byTheRule(new Date(now));
    for (const state of ['on_time', 'due_soon', 'overdue', 'done_late'] as const) expect(CLOCK_KINDS.some((k) => counts.byKind[k][state] > 0), state).toBe(true);
    expect(counts.byKind.follow_up.overdue + counts.byKind.follow_up.on_time + counts.byKind.follow_up.due_soon).toBeGreaterThan(0);
    expect(counts.overdueReferrals).toBeGreaterThan(0);
  });
});
