import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { twilioSignedForm, wecomEncryptedPost } from '../fakes/sign.js';

/**
 * Signed traffic for the webhook suites (robustness, privacy, end to end): every request is signed exactly as
 * Twilio and WeCom sign theirs, against the test env's public URL.
 */
export const BASE = 'https://hotline.example.org';
export const TWILIO = { TWILIO_ACCOUNT_SID: 'AC000000000000000000000000000000hd', TWILIO_AUTH_TOKEN: 'hardening-twilio-token', TWILIO_NUMBER_12349: '+8653912349' };
// WeCom's published sample credentials.
export const WECOM = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'hardening-wecom-secret',
};

export const newSid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export const smsParams = (from: string, body: string, sid = newSid('SM')) => ({
  MessageSid: sid,
  AccountSid: TWILIO.TWILIO_ACCOUNT_SID,
  From: from,
  To: TWILIO.TWILIO_NUMBER_12349,
  Body: body,
  NumMedia: '0',
});

export const voiceParams = (callSid: string, from: string, extra: Record<string, string> = {}) => ({
  CallSid: callSid,
  AccountSid: TWILIO.TWILIO_ACCOUNT_SID,
  From: from,
  To: TWILIO.TWILIO_NUMBER_12349,
  CallStatus: 'in-progress',
  Direction: 'inbound',
  ...extra,
});

/** POSTs form params to `path`, signed for the public URL (or with another token, to forge). */
export function postTwilio(app: FastifyInstance, path: string, params: Record<string, string>, opts: { token?: string } = {}) {
  const signed = twilioSignedForm(opts.token ?? TWILIO.TWILIO_AUTH_TOKEN, `${BASE}${path}`, params);
  return app.inject({ method: 'POST', url: path, headers: signed.headers, payload: signed.payload, remoteAddress: '203.0.113.10' });
}

export const postSms = (app: FastifyInstance, params: Record<string, string>, opts: { token?: string } = {}) => postTwilio(app, '/channels/twilio/sms', params, opts);

let wecomNonce = 0;
let wecomMsgId = 7_100_000_000_000_000_000n;
export const nextWecomMsgId = () => String((wecomMsgId += 1n));

export const wecomAppText = (from: string, content: string, msgId = nextWecomMsgId()) =>
  `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>${WECOM.WECOM_AGENT_ID}</AgentID></xml>`;

/** POSTs a plaintext WeCom message encrypted and signed as WeCom does. */
export function postWecom(app: FastifyInstance, xml: string, opts: { remoteAddress?: string } = {}) {
  const { query, body } = wecomEncryptedPost({
    token: WECOM.WECOM_TOKEN,
    encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
    corpId: WECOM.WECOM_CORP_ID,
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce: String(++wecomNonce),
    xml,
    agentId: WECOM.WECOM_AGENT_ID,
  });
  return app.inject({
    method: 'POST',
    url: `/channels/wecom/callback?${new URLSearchParams(query)}`,
    headers: { 'content-type': 'text/xml' },
    payload: body,
    remoteAddress: opts.remoteAddress ?? '101.226.103.1',
  });
}
