import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HOLDING_REPLY } from '../../src/intake/intake.js';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';
import { postSms, postWecom, smsParams, TWILIO, wecomAppText } from '../helpers/channels.js';
import { applicationTurns, residents, trackingNumberIn } from '../helpers/residents.js';

const world = withProviders({ twilio: true, wecom: true });

/** The socket closes a moment after disconnect(); connecting before that is refused as "already connected". */
async function reconnect() {
  const redis = world.env.deps.redis;
  if (redis.status !== 'end') await once(redis, 'end');
  await redis.connect();
}

const statusOf = (sender: string) => world.env.deps.db.message.findMany({ where: { direction: 'inbound', sender }, orderBy: { createdAt: 'asc' }, select: { status: true } });
const smsTo = (phone: string) => world.twilio.messages.filter((m) => m.to === phone);

describe('the Redis connection is cut during intake', () => {
  it('keeps every message, answers with the holding reply, and recover() answers each exactly once through the Twilio API', async () => {
    const people = residents(10, 21);
    const turns = people.map(applicationTurns);
    for (const [i, r] of people.entries()) expect((await postSms(world.env.app, smsParams(r.phone, turns[i]![0]!))).statusCode).toBe(200);

    world.env.deps.redis.disconnect();
    const during = await Promise.all(people.map((r, i) => postSms(world.env.app, smsParams(r.phone, turns[i]![1]!))));
    const staff = await postWecom(world.env.app, wecomAppText('village_assistant_01', '你好'));
    for (const res of during) {
      expect(res.statusCode).toBe(200);
      expect(readTwiml(res.body).messages).toEqual([HOLDING_REPLY.text]);
    }
    expect(staff.statusCode).toBe(200);
    for (const r of people) expect((await statusOf(r.phone)).map((m) => m.status)).toEqual(['processed', 'received']);
    expect(world.env.logs.join('')).toMatch(/dialog turn failed; message kept for recovery/);

    await reconnect();
    const sentBefore = world.twilio.messages.length;
    const first = await world.env.deps.intake.recover(0);
    await world.env.deps.background.idle();
    expect(first.resumed).toBe(people.length + 1);
    for (const r of people) {
      expect(smsTo(r.phone)).toHaveLength(1);
      expect(smsTo(r.phone)[0]).toMatchObject({ from: TWILIO.TWILIO_NUMBER_12349, body: expect.stringMatching(/替别人申请/) });
      expect((await statusOf(r.phone)).map((m) => m.status)).toEqual(['processed', 'processed']);
    }
    expect(world.wecom.sent.filter((s) => s.toUser === 'village_assistant_01')).toHaveLength(1);

    // A second sweep finds nothing to do and sends nothing again.
    const second = await world.env.deps.intake.recover(0);
    expect(second).toEqual({ spooled: 0, resumed: 0 });
    expect(world.twilio.messages.length).toBe(sentBefore + people.length);

    // The dialogs moved on exactly one step: the next answer is the consent question.
    const next = await postSms(world.env.app, smsParams(people[0]!.phone, turns[0]![2]!));
    expect(readTwiml(next.body).messages.join('')).toMatch(/授权/);
  });

  it('cut as the confirming turn lets go of its lock, after it committed: the receipt still goes back, one case, routed once', async () => {
    const [r] = residents(1, 22);
    const turns = applicationTurns(r!);
    for (const text of turns.slice(0, -1)) await postSms(world.env.app, smsParams(r!.phone, text));

    // The turn's state, replies and case are committed in PostgreSQL; the connection drops as the lock is released.
    const redis = world.env.deps.redis;
    const evaluate = redis.eval.bind(redis) as (...args: unknown[]) => Promise<unknown>;
    (redis as unknown as { eval: typeof evaluate }).eval = (...args) => {
      if (String(args[0]).includes("redis.call('del'")) redis.disconnect();
      return evaluate(...args);
    };
    let res;
    try {
      res = await postSms(world.env.app, smsParams(r!.phone, turns.at(-1)!));
    } finally {
      delete (redis as unknown as { eval?: unknown }).eval;
    }
    expect(res.statusCode).toBe(200);
    const cases = await world.env.deps.db.case.findMany({ where: { phone: r!.digits } });
    expect(cases).toHaveLength(1);
    expect(trackingNumberIn(readTwiml(res.body).messages.join(''))).toBe(cases[0]!.trackingNumber);
    expect((await statusOf(r!.phone)).map((m) => m.status)).toEqual(turns.map(() => 'processed'));

    await reconnect();
    expect(await world.env.deps.intake.recover(0)).toEqual({ spooled: 0, resumed: 0 });
    expect(smsTo(r!.phone).filter((m) => /承办编号/.test(String(m.body)))).toHaveLength(0);
    const audit = await world.env.deps.db.auditEvent.groupBy({ by: ['action'], where: { caseId: cases[0]!.id }, _count: true });
    expect(Object.fromEntries(audit.map((a) => [a.action, a._count]))).toMatchObject({ 'case.opened': 1, 'case.routed': 1, 'case.referred': 1 });
  });
});
