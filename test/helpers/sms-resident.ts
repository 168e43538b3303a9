import { expect } from 'vitest';
import { twilioSignedForm } from '../fakes/sign.js';
import type { TestEnv } from './env.js';
import { readTwiml } from './twiml.js';

/** A resident texting the hotline: each message posted to the SMS webhook signed as Twilio signs it; returns the replies. */
export function smsResident(env: () => TestEnv, account: { sid: string; token: string; to: string }) {
  let seq = 0;
  return async function say(from: string, body: string): Promise<string> {
    const params = { MessageSid: `SM${String(++seq).padStart(32, '0')}`, AccountSid: account.sid, From: from, To: account.to, Body: body, NumMedia: '0' };
    const signed = twilioSignedForm(account.token, `${env().config.http.publicBaseUrl}/channels/twilio/sms`, params);
    const res = await env().app.inject({ method: 'POST', url: '/channels/twilio/sms', headers: signed.headers, payload: signed.payload });
    expect(res.statusCode).toBe(200);
    return readTwiml(res.body).messages.join('\n');
  };
}
