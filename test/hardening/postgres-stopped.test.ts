import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDING_REPLY } from '../../src/intake/intake.js';
import { createSpool, type Spool } from '../../src/intake/spool.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { ADMIN_URL, query } from '../helpers/pg.js';
import { readTwiml } from '../helpers/twiml.js';
import { newSid, postSms, postTwilio, postWecom, smsParams, TWILIO, voiceParams, WECOM, wecomAppText } from './channels.js';
import { applicationTurns, residents } from './residents.js';

let env: TestEnv;
let twilio: FakeTwilio;
let wecom: FakeWecom;
let spool: Spool;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: TWILIO.TWILIO_ACCOUNT_SID, authToken: TWILIO.TWILIO_AUTH_TOKEN });
  wecom = await startFakeWecom({ corpId: WECOM.WECOM_CORP_ID, secret: WECOM.WECOM_SECRET });
  const spoolDir = await mkdtemp(join(tmpdir(), 'hardening-spool-'));
  env = await createTestEnv({ ...TWILIO, ...WECOM, TWILIO_API_BASE_URL: twilio.url, WECOM_API_BASE_URL: wecom.url, SPOOL_DIR: spoolDir });
  spool = createSpool(spoolDir, env.deps.cipher);
});
afterAll(async () => {
  await env?.close();
  await twilio?.close();
  await wecom?.close();
});

/** Stops this file's own database the way an outage looks to the service: new connections refused, open ones dropped. */
async function stopDatabase() {
  const name = new URL(env.databaseUrl).pathname.slice(1);
  await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await query(ADMIN_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  return () => query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
}

const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);

describe('PostgreSQL stopped during intake', () => {
  it('spools every message, answers with the holding reply, and processes each once after the database returns', async () => {
    const people = residents(8, 31);
    const turns = people.map(applicationTurns);
    for (const [i, r] of people.entries()) await postSms(env.app, smsParams(r.phone, turns[i]![0]!));
    const caller = residents(1, 32)[0]!;
    const callSid = newSid('CA');

    const restart = await stopDatabase();
    let sms, voice, app;
    try {
      sms = await Promise.all(people.map((r, i) => postSms(env.app, smsParams(r.phone, turns[i]![1]!))));
      voice = await postTwilio(env.app, '/channels/twilio/voice', voiceParams(callSid, caller.phone, { CallStatus: 'ringing' }));
      app = await postWecom(env.app, wecomAppText('village_assistant_02', '你好'));
      expect(await spool.pending()).toBe(people.length + 2);
      // The periodic sweep keeps running while the database is down: it must neither lose nor multiply the journal.
      for (let i = 0; i < 3; i++) await env.deps.intake.recover(0).catch(() => undefined);
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
    expect(await env.deps.db.message.count({ where: { sender: { in: people.map((r) => r.phone) }, direction: 'inbound' } })).toBe(people.length);

    const result = await env.deps.intake.recover(0);
    await env.deps.background.idle();
    expect(result.spooled).toBe(people.length + 2);
    expect(await spool.pending()).toBe(0);
    for (const r of people) {
      expect(smsTo(r.phone)).toHaveLength(1);
      expect(smsTo(r.phone)[0]!.body).toMatch(/替别人申请/);
    }
    // The caller had been put through to a person; the dialog's answer follows by SMS.
    expect(smsTo(caller.phone)).toHaveLength(1);
    expect(wecom.sent.filter((s) => s.toUser === 'village_assistant_02')).toHaveLength(1);

    const sent = twilio.messages.length;
    expect(await env.deps.intake.recover(0)).toEqual({ spooled: 0, resumed: 0 });
    expect(twilio.messages.length).toBe(sent);
    expect(await env.deps.db.message.count({ where: { sender: { in: people.map((r) => r.phone) }, direction: 'inbound' } })).toBe(people.length * 2);
    const next = await postSms(env.app, smsParams(people[0]!.phone, turns[0]![2]!));
    expect(readTwiml(next.body).messages.join('')).toMatch(/授权/);
  });
});
