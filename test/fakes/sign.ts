import { encrypt, getSignature } from '@wecom/crypto';
import twilio from 'twilio';

/** A form POST exactly as Twilio sends it to `url` (the public URL configured in its console). */
export function twilioSignedForm(authToken: string, url: string, params: Record<string, string>) {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    payload: new URLSearchParams(params).toString(),
  };
}

export interface WecomSigningInput {
  token: string;
  encodingAesKey: string;
  corpId: string;
  timestamp: string;
  nonce: string;
}

/** An encrypted callback POST as WeCom sends it: signed query plus the <xml><Encrypt> envelope. */
export function wecomEncryptedPost(input: WecomSigningInput & { xml: string; agentId?: string }) {
  const ciphertext = encrypt(input.encodingAesKey, input.xml, input.corpId);
  return {
    query: {
      msg_signature: getSignature(input.token, input.timestamp, input.nonce, ciphertext),
      timestamp: input.timestamp,
      nonce: input.nonce,
    },
    body:
      `<xml><ToUserName><![CDATA[${input.corpId}]]></ToUserName>` +
      `<Encrypt><![CDATA[${ciphertext}]]></Encrypt>` +
      `<AgentID><![CDATA[${input.agentId ?? ''}]]></AgentID></xml>`,
  };
}

/** The GET WeCom sends when the callback URL is saved: an encrypted echostr to decrypt and return. */
export function wecomVerifyQuery(input: WecomSigningInput & { echo: string }) {
  const echostr = encrypt(input.encodingAesKey, input.echo, input.corpId);
  return {
    msg_signature: getSignature(input.token, input.timestamp, input.nonce, echostr),
    timestamp: input.timestamp,
    nonce: input.nonce,
    echostr,
  };
}
