import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignedForm } from '../fakes/sign.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { readTwiml } from '../helpers/twiml.js';
import { openDialogState } from '../../src/privacy/sealed-state.js';

const SID = 'AC00000000000000000000000000000002';
const TOKEN = 'twilio-voice-token';
const BASE = 'https://hotline.example.org';
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_NUMBER_12349: '+8653912349' });
});
afterAll(() => env?.close());

/** Posts to a URL exactly as Twilio would: the absolute URL from the previous TwiML, signed. */
async function twilioPost(absoluteUrl: string, params: Record<string, string>) {
  const signed = twilioSignedForm(TOKEN, absoluteUrl, params);
  const res = await env.app.inject({ method: 'POST', url: absoluteUrl.slice(BASE.length), headers: signed.headers, payload: signed.payload });
  expect(res.statusCode).toBe(200);
  return readTwiml(res.body);
}

const call = (callSid: string, from: string, extra: Record<string, string> = {}) => ({
  CallSid: callSid,
  AccountSid: SID,
  From: from,
  To: '+8653912349',
  CallStatus: 'in-progress',
  Direction: 'inbound',
  ...extra,
});

describe('Twilio voice call walked through its action URLs', () => {
  it('greets in Mandarin, gathers speech and keypad, and continues on the action URL', async () => {
    const callSid = 'CA00000000000000000000000000000001';
    const first = await twilioPost(`${BASE}/channels/twilio/voice`, call(callSid, '+8613900139001', { CallStatus: 'ringing' }));
    expect(first.gather).toMatchObject({ input: 'speech dtmf', language: 'cmn-Hans-CN', action: `${BASE}/channels/twilio/voice?turn=1` });
    expect(first.said).toMatch(/紧急求助请按1/);

    const second = await twilioPost(first.gather!.action, call(callSid, '+8613900139001', { SpeechResult: '我想申请低保', Confidence: '0.91' }));
    expect(second.gather?.action).toBe(`${BASE}/channels/twilio/voice?turn=2`);
    expect(second.said.length).toBeGreaterThan(0);

    // Twilio retries the same action URL (our answer was lost): same turn, answered the same way, stored once.
    const retry = await twilioPost(first.gather!.action, call(callSid, '+8613900139001', { SpeechResult: '我想申请低保', Confidence: '0.91' }));
    expect(retry.said.length).toBeGreaterThan(0);
    expect(retry.gather?.action).toBe(`${BASE}/channels/twilio/voice?turn=2`);
    expect(await env.deps.db.message.count({ where: { channel: 'voice', direction: 'inbound', providerId: `${callSid}:1` } })).toBe(1);
    const conv = await env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: '+8613900139001' } } });
    expect(openDialogState(conv.state, env.deps.cipher)?.flow).toBe('application');
  });

  it('a silent turn comes back on the same step marked as no input', async () => {
    const callSid = 'CA00000000000000000000000000000002';
    const first = await twilioPost(`${BASE}/channels/twilio/voice`, call(callSid, '+8613900139002'));
    const silent = await twilioPost(`${first.gather!.action}&noInput=1`, call(callSid, '+8613900139002'));
    expect(silent.gather?.action).toBe(`${BASE}/channels/twilio/voice?turn=2`);
    expect(await env.deps.db.message.count({ where: { channel: 'voice', providerId: `${callSid}:1:silent` } })).toBe(1);
  });

  it('a caller asking for a person is put through to the duty officer; nobody answers → voicemail → callback task', async () => {
    const callSid = 'CA00000000000000000000000000000003';
    const from = '+8613900139003';
    const first = await twilioPost(`${BASE}/channels/twilio/voice`, call(callSid, from));
    const human = await twilioPost(first.gather!.action, call(callSid, from, { SpeechResult: '转人工', Confidence: '0.8' }));
    expect(human.dial?.numbers).toEqual(env.deps.directory.directory.county.dutyPhones);
    expect(human.dial?.action).toBe(`${BASE}/channels/twilio/voice/dial-status`);
    const flag = await env.deps.db.dutyTask.findFirstOrThrow({ where: { conversation: { identity: { address: from } } } });
    expect(flag.kind).toBe('asked_for_person');

    const noAnswer = await twilioPost(human.dial!.action, call(callSid, from, { DialCallStatus: 'no-answer' }));
    expect(noAnswer.said).toMatch(/留言/);
    expect(noAnswer.record?.action).toBe(`${BASE}/channels/twilio/voice/recording`);

    const recorded = await twilioPost(noAnswer.record!.action, call(callSid, from, { RecordingUrl: 'https://api.twilio.com/Recordings/RE1', RecordingDuration: '12' }));
    expect(recorded.hangup).toBe(true);
    const voicemail = await env.deps.db.dutyTask.findFirstOrThrow({ where: { kind: 'voicemail', contact: from } });
    expect(voicemail.recordingUrl).toBe('https://api.twilio.com/Recordings/RE1');
  });

  it('records call status callbacks and refuses unsigned voice requests', async () => {
    const signed = twilioSignedForm(TOKEN, `${BASE}/channels/twilio/status`, call('CA00000000000000000000000000000004', '+8613900139004', { CallStatus: 'completed', CallDuration: '42' }));
    const res = await env.app.inject({ method: 'POST', url: '/channels/twilio/status', headers: signed.headers, payload: signed.payload });
    expect(res.statusCode).toBe(204);
    const audit = await env.deps.db.auditEvent.findFirstOrThrow({ where: { action: 'twilio.call_status', entityId: 'CA00000000000000000000000000000004' } });
    expect(audit.after).toEqual({ status: 'completed', duration: '42' });

    const unsigned = await env.app.inject({ method: 'POST', url: '/channels/twilio/voice', payload: new URLSearchParams(call('CA5', '+8613900139005')).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsigned.statusCode).toBe(403);
  });
});

describe('duty alert call', () => {
  it('speaks the stored notice of the call the escalation placed, then hangs up', async () => {
    await env.deps.db.message.create({
      data: { channel: 'voice', direction: 'outbound', providerId: 'CA00000000000000000000000000000777', sender: '+8653912349', recipient: '+8653912349000', text: '紧急转办件，编号 2 0 2 6，超时未签收。', status: 'sent', receivedAt: new Date() },
    });
    const twiml = await twilioPost(`${BASE}/channels/twilio/voice/duty-alert?referral=202611220001-1`, call('CA00000000000000000000000000000777', '+8653912349', { Direction: 'outbound-api' }));
    expect(twiml.said).toMatch(/紧急转办件，编号 2 0 2 6/);
    expect(twiml.hangup).toBe(true);
  });
});
