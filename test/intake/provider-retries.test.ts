import { describe, expect, it } from 'vitest';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';
import { newSid, postSms, postWecom, smsParams, TWILIO, wecomAppText, nextWecomMsgId } from '../helpers/channels.js';
import { applicationTurns, residents, trackingNumberIn } from '../helpers/residents.js';

const world = withProviders({ wecom: true, env: TWILIO });

describe('a provider delivers the same webhook three times at once', () => {
  it('SMS: the confirming "对" of an application, three times → one message, one case, one receipt given to each delivery', async () => {
    const [r] = residents(1, 41);
    const turns = applicationTurns(r!);
    for (const text of turns.slice(0, -1)) expect((await postSms(world.env.app, smsParams(r!.phone, text))).statusCode).toBe(200);

    const confirm = smsParams(r!.phone, turns.at(-1)!, newSid('SM'));
    const results = await Promise.all([postSms(world.env.app, confirm), postSms(world.env.app, confirm), postSms(world.env.app, confirm)]);
    expect(results.map((x) => x.statusCode)).toEqual([200, 200, 200]);
    // Twilio uses the answer of the delivery it is still waiting on: each gets the same one, read from storage.
    const answered = results.map((x) => readTwiml(x.body).messages.join('')).filter(Boolean);
    expect(answered).toHaveLength(3);
    expect(new Set(results.map((x) => x.body)).size).toBe(1);
    const tracking = trackingNumberIn(answered[0]!);
    expect(tracking).toMatch(/^\d{12}$/);

    expect(await world.env.deps.db.message.count({ where: { direction: 'inbound', providerId: confirm.MessageSid } })).toBe(1);
    expect(await world.env.deps.db.case.count({ where: { phone: r!.digits } })).toBe(1);
    const c = await world.env.deps.db.case.findFirstOrThrow({ where: { phone: r!.digits } });
    expect(c.trackingNumber).toBe(tracking);
    const inbound = await world.env.deps.db.message.findFirstOrThrow({ where: { providerId: confirm.MessageSid } });
    expect(await world.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } } })).toBe(readTwiml(results.find((x) => readTwiml(x.body).messages.length)!.body).messages.length);
    // Routed once: the referrals exist once per planned unit.
    const referrals = await world.env.deps.db.referral.findMany({ where: { caseId: c.id } });
    expect(referrals.length).toBeGreaterThan(0);
    expect(new Set(referrals.map((x) => `${x.category}:${x.step}:${x.townshipId}:${x.agencyId}`)).size).toBe(referrals.length);
  });

  it('WeCom app: the confirming message of an application, three times → one message, one case, one reply', async () => {
    const [r] = residents(1, 42);
    const user = 'hardening_wecom_resident';
    const say = async (text: string, msgId = nextWecomMsgId()) => {
      const res = await postWecom(world.env.app, wecomAppText(user, text, msgId));
      expect(res.statusCode).toBe(200);
      await world.env.deps.background.idle();
    };
    // WeCom has no caller number: the resident gives one when asked.
    const flow = [`我叫${r!.name}，身份证${r!.id}，电话${r!.digits}，家里三口人，住枣园镇东鲁村，想申请低保`, '1', '同意', '没有'];
    for (const text of flow) await say(text);
    const before = world.wecom.sent.filter((s) => s.toUser === user).length;
    expect(world.wecom.sent.at(-1)?.content).toMatch(/确认|对/);

    const msgId = nextWecomMsgId();
    const xml = wecomAppText(user, '对', msgId);
    const results = await Promise.all([postWecom(world.env.app, xml), postWecom(world.env.app, xml), postWecom(world.env.app, xml)]);
    expect(results.map((x) => x.statusCode)).toEqual([200, 200, 200]);
    await world.env.deps.background.idle();

    expect(await world.env.deps.db.message.count({ where: { channel: 'wecom_app', direction: 'inbound', providerId: msgId } })).toBe(1);
    expect(await world.env.deps.db.case.count({ where: { phone: r!.digits } })).toBe(1);
    const replies = world.wecom.sent.filter((s) => s.toUser === user).slice(before);
    const inbound = await world.env.deps.db.message.findFirstOrThrow({ where: { channel: 'wecom_app', providerId: msgId } });
    const stored = await world.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } } });
    expect(replies).toHaveLength(stored);
    expect(replies.map((s) => s.content).join('')).toMatch(/承办编号/);
  });
});
