import { encrypt, getSignature } from '@wecom/crypto';
import type { InjectOptions } from 'fastify';
import twilio from 'twilio';
import { seeded, type Rng } from '../helpers/seeded.js';
import { BASE, TWILIO, WECOM } from '../helpers/channels.js';

/**
 * Malformed and hostile requests for the webhook and API surface, from a seeded
 * generator so a failing case can be reproduced by its seed and index.
 * Requests with a valid provider signature list the provider ids they may be
 * stored under in `ids`; every other request (empty `ids`) must store nothing.
 */
export type FuzzRequest = { label: string; ids: string[]; inject: InjectOptions };


const HOSTILE = [
  "' OR '1'='1",
  `'; DROP TABLE "Message"; --`,
  '1; SELECT pg_sleep(5)--',
  '" OR ""="',
  '$(reboot)',
  '`id`',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '%s%s%s%n%x',
  '../../../../etc/passwd',
  'a\u0000b',
  '\u0000',
  'line\r\nSet-Cookie: pwned=1',
  '\u202egnp.exe',
  '\ud800',
  '😀'.repeat(200),
  '中'.repeat(3000),
  'A'.repeat(20_000),
  '__proto__',
  '{"$ne":null}',
  ']]><xml><Evil/></xml><![CDATA[',
  '&lt;&#0;&#xD800;',
  '\\u0000\\x00',
  'NaN',
  '-1',
  '9'.repeat(400),
  '',
  ' ',
];

const TWILIO_PATHS = ['/channels/twilio/sms', '/channels/twilio/voice', '/channels/twilio/voice?turn=3', '/channels/twilio/voice/dial-status', '/channels/twilio/voice/recording', '/channels/twilio/status'];
const CONTENT_TYPES = ['application/json', 'text/xml', 'text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded; charset=gbk', 'application/octet-stream', 'image/png', ''];

const xmlBomb = () =>
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><xml><Encrypt>&lol9;</Encrypt></xml>`;
const xxe = () => `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>&xxe;</ToUserName><Encrypt>&xxe;</Encrypt></xml>`;
const deepXml = (n: number) => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`;
const deepJson = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

function hostileParams(r: Rng): Record<string, string> {
  const keys = ['MessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia', 'CallSid', 'CallStatus', 'Digits', 'SpeechResult', 'MediaUrl0', 'RecordingUrl', 'DialCallStatus', r.pick(HOSTILE).slice(0, 40) || 'x'];
  const out: Record<string, string> = {};
  for (const k of keys) if (r.next() < 0.7) out[k] = r.pick(HOSTILE);
  return out;
}

const sign = (token: string, url: string, params: Record<string, string>) => twilio.getExpectedTwilioSignature(token, url, params);
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Twilio webhooks that must be refused: unsigned, forged, signed for something else, or not a form at all. */
function twilioRefused(r: Rng, i: number): FuzzRequest {
  const path = r.pick(TWILIO_PATHS);
  const params = hostileParams(r);
  const variant = r.int(9);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  let payload: string | Buffer = form(params);
  switch (variant) {
    case 0: // no signature
      break;
    case 1: // wrong token
      headers['x-twilio-signature'] = sign('not-the-token', `${BASE}${path}`, params);
      break;
    case 2: // right token, another URL (replayed against another endpoint or host)
      headers['x-twilio-signature'] = sign(TWILIO.TWILIO_AUTH_TOKEN, `https://evil.example.org${path}`, params);
      break;
    case 3: {
      // a captured signature replayed with a changed body
      headers['x-twilio-signature'] = sign(TWILIO.TWILIO_AUTH_TOKEN, `${BASE}${path}`, params);
      payload = form({ ...params, Body: `${params.Body ?? ''}篡改` });
      break;
    }
    case 4: // random signature header, including non-base64 garbage
      headers['x-twilio-signature'] = r.pick([r.bytes(20).toString('base64'), r.pick(HOSTILE).slice(0, 200), '=', 'x'.repeat(8000)]);
      break;
    case 5: // broken form encoding
      headers['x-twilio-signature'] = r.bytes(20).toString('base64');
      payload = r.pick(['%E4%zz=1', 'a=%', '&&&===&', 'Body=%C0%AF', '%00=%00', `${'a='.repeat(20_000)}`, 'From[]=1&From[]=2&From[x]=3']);
      break;
    case 6: // invalid UTF-8 and random bytes
      headers['x-twilio-signature'] = r.bytes(20).toString('base64');
      payload = Buffer.concat([Buffer.from('Body='), r.bytes(1 + r.int(400)), Buffer.from('&From=%FF%FE')]);
      break;
    case 7: // wrong content types, deep JSON, XML
      headers['content-type'] = r.pick(CONTENT_TYPES);
      if (!headers['content-type']) delete headers['content-type'];
      headers['x-twilio-signature'] = sign(TWILIO.TWILIO_AUTH_TOKEN, `${BASE}${path}`, {});
      payload = r.pick([deepJson(5000 + r.int(5000)), '{"__proto__":{"admin":true},"From":"+8613800000000"}', '{"constructor":{"prototype":{"x":1}}}', xmlBomb(), r.bytes(300)]);
      break;
    default: // a body over the size limit
      headers['x-twilio-signature'] = r.bytes(20).toString('base64');
      payload = `Body=${'A'.repeat(300 * 1024)}`;
  }
  return { label: `twilio-refused#${i}:${path}:${variant}`, ids: [], inject: { method: 'POST', url: path, headers, payload } };
}

/** Validly signed Twilio webhooks with hostile values in every field: may be stored, never a 5xx. */
function twilioSignedHostile(r: Rng, i: number): FuzzRequest {
  const sms = r.next() < 0.6;
  const id = `${sms ? 'SM' : 'CA'}fuzz${i.toString(16).padStart(8, '0')}${r.int(1e9).toString(16)}`;
  const from = r.next() < 0.5 ? `+86139${String(r.int(1e8)).padStart(8, '0')}` : r.pick(HOSTILE).slice(0, 70);
  const params: Record<string, string> = sms
    ? { MessageSid: id, AccountSid: TWILIO.TWILIO_ACCOUNT_SID, From: from, To: TWILIO.TWILIO_NUMBER_12349, Body: r.pick(HOSTILE), NumMedia: r.pick(['0', '1', '999999', '-1', 'x']) }
    : {
        CallSid: id,
        AccountSid: TWILIO.TWILIO_ACCOUNT_SID,
        From: from,
        To: TWILIO.TWILIO_NUMBER_12349,
        CallStatus: r.pick(['in-progress', 'ringing', 'bogus']),
        SpeechResult: r.pick(HOSTILE),
        Confidence: r.pick(['0.9', 'NaN', '-5', '1e308', 'abc']),
        Digits: r.pick(['1', '*#', 'hangup', r.pick(HOSTILE).slice(0, 80)]),
      };
  if (sms && params.NumMedia !== '0') Object.assign(params, { MediaUrl0: r.pick(HOSTILE), MediaContentType0: r.pick(HOSTILE).slice(0, 100) });
  for (const k of Object.keys(params)) if (r.next() < 0.05) delete params[k];
  const path = sms ? '/channels/twilio/sms' : r.pick(['/channels/twilio/voice', `/channels/twilio/voice?turn=${r.pick(['1', '-5', '99999999999', 'abc', '1e3'])}`]);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(TWILIO.TWILIO_AUTH_TOKEN, `${BASE}${path}`, params) };
  return { label: `twilio-signed#${i}:${path}`, ids: [id], inject: { method: 'POST', url: path, headers, payload: form(params) } };
}

const now = () => String(Math.floor(Date.now() / 1000));
const signedQuery = (ciphertext: string, timestamp = now(), nonce = '1') =>
  new URLSearchParams({ msg_signature: getSignature(WECOM.WECOM_TOKEN, timestamp, nonce, ciphertext), timestamp, nonce });
const envelope = (ciphertext: string) => `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${ciphertext}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;

/** WeCom callbacks that must be refused: forged, stale, not XML, bombs, external entities, oversized, wrong type. */
function wecomRefused(r: Rng, i: number): FuzzRequest {
  const variant = r.int(9);
  const cipher = encrypt(WECOM.WECOM_ENCODING_AES_KEY, `<xml><MsgType>text</MsgType><Content>${r.pick(HOSTILE)}</Content></xml>`, WECOM.WECOM_CORP_ID);
  let url = `/channels/wecom/callback?${new URLSearchParams({ msg_signature: r.bytes(20).toString('hex'), timestamp: now(), nonce: '7' })}`;
  let payload: string | Buffer = envelope(cipher);
  let contentType = 'text/xml';
  let method: 'GET' | 'POST' = 'POST';
  switch (variant) {
    case 0: // forged signature (above)
      break;
    case 1: // a real signature, replayed long after (stale timestamp)
      url = `/channels/wecom/callback?${signedQuery(cipher, String(Math.floor(Date.now() / 1000) - 3600 - r.int(1e6)))}`;
      break;
    case 2:
      payload = r.pick([xmlBomb(), xxe(), deepXml(50 + r.int(5000)), '<xml><Encrypt>', '<<<>>>', r.bytes(200)]);
      break;
    case 3: // oversized
      payload = `<xml><Encrypt>${'A'.repeat(70 * 1024)}</Encrypt></xml>`;
      break;
    case 4:
      contentType = r.pick(CONTENT_TYPES);
      payload = r.pick([deepJson(8000), '{"Encrypt":"x"}', form({ Encrypt: cipher }), r.bytes(100)]);
      break;
    case 5: // missing or hostile query
      url = `/channels/wecom/callback?${r.pick(['', 'msg_signature=&timestamp=&nonce=', `timestamp=${encodeURIComponent(Buffer.from(r.pick(HOSTILE).slice(0, 200)).toString())}&nonce=1&msg_signature=${'0'.repeat(40)}`, 'timestamp=1&timestamp=2&nonce=a&msg_signature=b'])}`;
      break;
    case 6: // URL verification with garbage
      method = 'GET';
      payload = '';
      url = `/channels/wecom/callback?${new URLSearchParams({ msg_signature: r.bytes(20).toString('hex'), timestamp: now(), nonce: '1', echostr: r.pick([r.bytes(48).toString('base64'), r.pick(HOSTILE).slice(0, 300)]) })}`;
      break;
    case 7: {
      // correctly signed, but the ciphertext is garbage blocks or for another corp
      const other = r.next() < 0.5 ? r.bytes(64).toString('base64') : encrypt(WECOM.WECOM_ENCODING_AES_KEY, '<xml/>', 'wwSomebodyElse00001');
      url = `/channels/wecom/callback?${signedQuery(other)}`;
      payload = envelope(other);
      break;
    }
    default: // invalid UTF-8 inside the envelope
      payload = Buffer.concat([Buffer.from('<xml><ToUserName>'), r.bytes(50), Buffer.from(`</ToUserName><Encrypt>${cipher}</Encrypt></xml>`)]);
  }
  return { label: `wecom-refused#${i}:${variant}`, ids: [], inject: { method, url, headers: contentType ? { 'content-type': contentType } : {}, payload: method === 'GET' ? undefined : payload } };
}

const EVENTS = ['subscribe', 'unsubscribe', 'enter_agent', 'LOCATION', 'click', 'view', 'change_contact', 'batch_job_result', 'open_approval_change', 'taskcard_click', 'kf_msg_or_event', 'x'.repeat(300)];

/** Correctly encrypted and signed WeCom callbacks whose plaintext is hostile or of a kind the hotline does not handle. */
function wecomSignedHostile(r: Rng, i: number): FuzzRequest {
  const msgId = `${7_200_000_000_000_000_000n + BigInt(i)}`;
  const t = now();
  const variant = r.int(6);
  const plain = [
    // unknown events
    `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[fuzz]]></FromUserName><CreateTime>${t}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${r.pick(EVENTS)}]]></Event><AgentID>1000002</AgentID></xml>`,
    // hostile text in every field
    `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${r.pick(HOSTILE).slice(0, 300).replaceAll(']]>', '')}]]></FromUserName><CreateTime>${r.pick([t, '-1', 'abc', '9'.repeat(30)])}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${r.pick(HOSTILE).replaceAll(']]>', '')}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`,
    // entities and bombs inside the encrypted plaintext
    xxe(),
    xmlBomb(),
    deepXml(10 + r.int(200)),
    // unknown message types and missing fields
    `<xml><ToUserName>${WECOM.WECOM_CORP_ID}</ToUserName><CreateTime>${t}</CreateTime><MsgType>${r.pick(['location', 'link', 'file', 'shortvideo', '', 'text'])}</MsgType></xml>`,
  ][variant]!;
  const cipher = encrypt(WECOM.WECOM_ENCODING_AES_KEY, plain, WECOM.WECOM_CORP_ID);
  return {
    label: `wecom-signed#${i}:${variant}`,
    ids: [msgId],
    inject: { method: 'POST', url: `/channels/wecom/callback?${signedQuery(cipher, t, String(i))}`, headers: { 'content-type': 'text/xml' }, payload: envelope(cipher) },
  };
}

const API_PATHS = ['/api/v1/cases/', '/api/v1/referrals/', '/api/v1/conversations/', '/api/v1/duty/tasks/', '/api/v1/roster/', '/open311/v2/requests/'];

/** The staff API, health and unknown routes with hostile paths, headers and bodies. */
function otherSurface(r: Rng, i: number): FuzzRequest {
  const method = r.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const);
  // A lone surrogate cannot be percent-encoded; Buffer round-trips it to U+FFFD as a client would send it.
  const segment = encodeURIComponent(Buffer.from(r.pick(HOSTILE).slice(0, 300)).toString()) || '%00';
  const url = r.pick([
    `${r.pick(API_PATHS)}${segment}`,
    `${r.pick(API_PATHS)}${segment}/full`,
    '/api/v1/me',
    '/healthz',
    '/readyz',
    `/${segment}`,
    '/channels/twilio/sms/../status',
    '/%2e%2e/%2e%2e/etc/passwd',
    `/channels/wecom/callback/${segment}`,
  ]);
  const headers: Record<string, string> = {
    authorization: r.pick([`Bearer ${r.bytes(24).toString('base64url')}`, `Bearer ${r.pick(HOSTILE).slice(0, 100).replace(/[^\x20-\x7e]/g, '')}`, 'Basic YWRtaW46YWRtaW4=', 'Bearer', '']),
    'content-type': r.pick(CONTENT_TYPES) || 'application/json',
    cookie: `hotline_staff=${r.bytes(16).toString('hex')}`,
    'x-forwarded-for': r.pick(['127.0.0.1', '::1', 'not-an-ip', '1.2.3.4, 5.6.7.8', r.pick(HOSTILE).slice(0, 100).replace(/[^\x20-\x7e]/g, '')]),
  };
  const payload = method === 'GET' || method === 'HEAD' ? undefined : r.pick([deepJson(3000 + r.int(3000)), JSON.stringify({ reason: r.pick(HOSTILE), text: r.pick(HOSTILE) }), '{"__proto__":{"isAdmin":true}}', r.bytes(200), '']);
  return { label: `other#${i}:${method} ${url.slice(0, 60)}`, ids: [], inject: { method, url, headers, payload } };
}

/**
 * `count` requests, made one at a time so none outlives its turn (a pre-built
 * list of 10,000 would itself hold hundreds of MB): about 94% must be refused
 * or are harmless, 6% are validly signed but hostile.
 */
export function* fuzzRequests(seed: number, count: number): Generator<FuzzRequest> {
  const r = seeded(seed);
  for (let i = 0; i < count; i++) {
    const x = r.next();
    const req =
      x < 0.04 ? twilioSignedHostile(r, i) : x < 0.06 ? wecomSignedHostile(r, i) : x < 0.45 ? twilioRefused(r, i) : x < 0.8 ? wecomRefused(r, i) : otherSurface(r, i);
    // From many addresses, as a spread-out attack would be: the per-IP limit must not hide the parsers from the fuzz.
    req.inject.remoteAddress = `10.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
    yield req;
  }
}
