import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ADMIN_URL, query } from '../helpers/pg.js';
import { withProviders } from '../helpers/providers.js';
import { newSid, postSms, postTwilio, postWecom, smsParams, voiceParams, WECOM, wecomAppText } from '../helpers/channels.js';
import { applicationTurns, residents } from '../helpers/residents.js';

/**
 * Realistic traffic with real-format ID and phone numbers through every channel,
 * including the paths that log the most (refusals, outages, provider errors,
 * duty notices, background jobs); then no log line may hold one of them in full.
 */
const world = withProviders({ twilio: true, wecom: true, spool: 'privacy-spool-', env: { LOG_LEVEL: 'debug', RATE_LIMIT_PER_SENDER: '12' }, workers: true });

const people = residents(6, 45);
/** A landline caller (many elderly residents call from one): not a mobile number, still personal data. */
const LANDLINE = '+865398123456';
const OTHER_ID = people[5]!.id;

async function outboundSettled() {
  await world.env.deps.background.idle();
  for (let i = 0; i < 50; i++) {
    if ((await world.env.deps.db.message.count({ where: { direction: 'outbound', status: 'queued' } })) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('no full ID or phone number in any log line', () => {
  it('drives every channel, the failure paths included, with real-format personal data', async () => {
    const [a, b, c, d, e] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0], (typeof people)[0], (typeof people)[0]];
    // SMS: a full application (case, routing, referrals, staff notices) and an emergency with a callback number.
    for (const text of applicationTurns(a)) await postSms(world.env.app, smsParams(a.phone, text));
    await postSms(world.env.app, smsParams(b.phone, `家里着火了，老人被困，快来人！我的电话${b.digits}，身份证${b.id}`));
    await postSms(world.env.app, smsParams(b.phone, `地址是枣园镇东鲁村，电话 ${b.digits.slice(0, 3)}-${b.digits.slice(3, 7)}-${b.digits.slice(7)}`));

    // Voice: speech with an ID and a phone, keypad digits of an ID, a landline caller whose duty call nobody answers.
    const call = newSid('CA');
    await postTwilio(world.env.app, '/channels/twilio/voice', voiceParams(call, c.phone, { CallStatus: 'ringing' }));
    await postTwilio(world.env.app, '/channels/twilio/voice?turn=1', voiceParams(call, c.phone, { SpeechResult: `我想申请低保，身份证号${c.id}，电话${c.digits}`, Confidence: '0.93' }));
    await postTwilio(world.env.app, '/channels/twilio/voice?turn=2', voiceParams(call, c.phone, { Digits: c.id.replace('X', '*') }));
    const landline = newSid('CA');
    await postTwilio(world.env.app, '/channels/twilio/voice', voiceParams(landline, LANDLINE, { CallStatus: 'ringing' }));
    await postTwilio(world.env.app, '/channels/twilio/voice?turn=1', voiceParams(landline, LANDLINE, { Digits: '0' }));
    await postTwilio(world.env.app, '/channels/twilio/voice/dial-status', voiceParams(landline, LANDLINE, { DialCallStatus: 'no-answer' }));
    await postTwilio(world.env.app, '/channels/twilio/voice/recording', voiceParams(landline, LANDLINE, { RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingSid: 'RE1' }));

    // WeCom app and WeChat customer service.
    await postWecom(world.env.app, wecomAppText('village_assistant_03', `帮${d.name}申请临时救助，身份证${d.id}，电话${d.digits}`));
    const kf = 'wkPrivacyTest0000000000000000001';
    world.wecom.queueKfMessages(kf, [{ external_userid: 'wmPrivacy01', text: { content: `我要申请低保，身份证${OTHER_ID}，手机+86 ${e.digits}` } }]);
    await postWecom(world.env.app, `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[tok]]></Token><OpenKfId><![CDATA[${kf}]]></OpenKfId></xml>`);

    // Refusals: forged signatures, malformed fields and a flood, all carrying the number.
    await postSms(world.env.app, smsParams(e.phone, `身份证${e.id}`), { token: 'forged' });
    const bad = smsParams(e.phone, `身份证${e.id}`) as Record<string, string>;
    delete bad.MessageSid;
    await postSms(world.env.app, bad);
    for (let i = 0; i < 14; i++) await postSms(world.env.app, smsParams(e.phone, `${i}`));

    // Redis cut mid-turn, then recovery; a reply to a landline the provider refuses, with the number in its error.
    world.env.deps.redis.disconnect();
    await postTwilio(world.env.app, '/channels/twilio/voice?turn=2', voiceParams(landline, LANDLINE, { SpeechResult: `我的身份证是${OTHER_ID}` }));
    if (world.env.deps.redis.status !== 'end') await once(world.env.deps.redis, 'end');
    await world.env.deps.redis.connect();
    world.twilio.failNext(1, 400, 21614, `'To' number ${LANDLINE} is not a valid mobile number`);
    await world.env.deps.intake.recover(0);

    // PostgreSQL down: the message is spooled and replayed.
    const name = new URL(world.env.databaseUrl).pathname.slice(1);
    await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await query(ADMIN_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    try {
      await postSms(world.env.app, smsParams(d.phone, `身份证${d.id}，电话${d.digits}`));
    } finally {
      await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    await world.env.deps.intake.recover(0);
    await outboundSettled();

    const log = world.env.logs.join('');
    expect(log.length).toBeGreaterThan(10_000);
    // Every noisy path really ran, so the scan covers what it claims to.
    for (const path of ['twilio_bad_signature', 'rate_limited', 'dialog turn failed', 'database unavailable: inbound message spooled', 'reply cannot be sent', '"statusCode":400']) {
      expect(log, path).toContain(path);
    }
    const secrets = [...people.flatMap((r) => [r.id, r.digits, r.id.toLowerCase()]), LANDLINE, `0${LANDLINE.slice(3)}`];
    const found = secrets.filter((s) => log.includes(s));
    const lines = world.env.logs.filter((l) => found.some((s) => l.includes(s))).map((l) => l.slice(0, 400));
    expect({ found, lines }).toEqual({ found: [], lines: [] });
  });
});
