import { beforeAll, describe, expect, it } from 'vitest';
import { HOLDING_REPLY } from '../../src/intake/intake.js';
import { createSpool, type Spool } from '../../src/intake/spool.js';
import { ADMIN_URL, query } from '../helpers/pg.js';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';
import { newSid, postSms, postTwilio, postWecom, smsParams, voiceParams, wecomAppText } from '../helpers/channels.js';
import { applicationTurns, residents } from '../helpers/residents.js';

const world = withProviders({ twilio: true, wecom: true, spool: 'hardening-spool-' });
let spool: Spool;
beforeAll(() => {
  spool = createSpool(world.spoolDir, world.env.deps.cipher);
});

/** Stops this file's own database the way an outage looks to the service: new connections refused, open ones dropped. */
async function stopDatabase() {
  const name = new URL(world.env.databaseUrl).pathname.slice(1);
  await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await query(ADMIN_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  return () => query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
}

const smsTo = (phone: string) => world.twilio.messages.filter((m) => m.to === phone);

describe('PostgreSQL stopped during intake', () => {
  it('spools every message, answers with the holding reply, and processes each once after the database returns', async () => {
    const people = residents(8, 31);
    const turns = people.map(applicationTurns);
    for (const [i, r] of people.entries()) await postSms(world.env.app, smsParams(r.phone, turns[i]![0]!));
    const caller = residents(1, 32)[0]!;
    const callSid = newSid('CA');

    const restart = await stopDatabase();
    let sms, voice, app;
    try {
      sms = await Promise.all(people.map((r, i) => postSms(world.env.app, smsParams(r.phone, turns[i]![1]!))));
      voice = await postTwilio(world.env.app, '/channels/twilio/voice', voiceParams(callSid, caller.phone, { CallStatus: 'ringing' }));
      app = await postWecom(world.env.app, wecomAppText('village_assistant_02', '你好'));
      expect(await spool.pending()).toBe(people.length + 2);
      // The periodic sweep keeps running while the database is down: it must neither lose nor multiply the journal.
      for (let i = 0; i < 3; i++) await world.env.deps.intake.recover(0).catch(() => undefined);
      expect(await spool.pending()).toBe(people.length + 2);
    } finally {
      await restart();
    }
    for (const res of sms) {
      expect(res.statusCode).toBe(200);
      expect(readTwiml(res.body).messages).toEqual([HOLDING_REPLY.text]);
    }
    expect(voice.statusCode).toBe(200);
    const heard = readTwiml(voice.body);
    expect(heard.said).toContain(HOLDING_REPLY.speech);
    expect(heard.dial?.numbers.length).toBeGreaterThan(0);
    expect(app.statusCode).toBe(200);
    expect(await world.env.deps.db.message.count({ where: { sender: { in: people.map((r) => r.phone) }, direction: 'inbound' } })).toBe(people.length);

    const result = await world.env.deps.intake.recover(0);
    await world.env.deps.background.idle();
    expect(result.spooled).toBe(people.length + 2);
    expect(await spool.pending()).toBe(0);
    for (const r of people) {
      expect(smsTo(r.phone)).toHaveLength(1);
      expect(smsTo(r.phone)[0]!.body).toMatch(/替别人申请/);
    }
    // The caller had been put through to a person; the dialog's answer follows by SMS.
    expect(smsTo(caller.phone)).toHaveLength(1);
    expect(world.wecom.sent.filter((s) => s.toUser === 'village_assistant_02')).toHaveLength(1);

    const sent = world.twilio.messages.length;
    expect(await world.env.deps.intake.recover(0)).toEqual({ spooled: 0, resumed: 0 });
    expect(world.twilio.messages.length).toBe(sent);
    expect(await world.env.deps.db.message.count({ where: { sender: { in: people.map((r) => r.phone) }, direction: 'inbound' } })).toBe(people.length * 2);
    const next = await postSms(world.env.app, smsParams(people[0]!.phone, turns[0]![2]!));
    expect(readTwiml(next.body).messages.join('')).toMatch(/授权/);
  });
});
