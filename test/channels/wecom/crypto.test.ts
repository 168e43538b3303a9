import { decrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { createWecomCrypto } from '../../../src/channels/wecom/crypto.js';
import { WecomCryptoError } from '../../../src/channels/wecom/errors.js';
import { parseMessage } from '../../../src/channels/wecom/xml.js';
import { wecomEncryptedPost, wecomVerifyQuery } from '../../fakes/sign.js';

/**
 * Tencent's published sample (weworkapi Sample.py / Sample.java, "使用示例一/二"):
 * the callback settings, a URL-verification GET and a text-message POST.
 */
const SAMPLE = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  corpId: 'ww1436e0e65a779aee',
};
const VERIFY = {
  msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};
const POST = {
  msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
  timestamp: '1476422779',
  nonce: '1597212914',
  body:
    '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n' +
    '<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n' +
    '<AgentID><![CDATA[1000002]]></AgentID>\n</xml>',
};

const NOW_S = 1_700_000_000;
const live = createWecomCrypto({ ...SAMPLE, replayWindowS: 300, now: () => NOW_S * 1000 });

function failure(fn: () => unknown): WecomCryptoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WecomCryptoError);
    return err as WecomCryptoError;
  }
  throw new Error('expected a WecomCryptoError');
}

describe('WeCom published sample', () => {
  it('verifies the URL-check GET and returns the echostr plaintext (replay window 0 disables the age check)', () => {
    const crypto = createWecomCrypto({ ...SAMPLE, replayWindowS: 0 });
    expect(crypto.verifyUrl(VERIFY)).toBe('1288432023552776189');
  });

  it('opens the sample text message', () => {
    const crypto = createWecomCrypto({ ...SAMPLE, replayWindowS: 0 });
    const { xml, envelope } = crypto.openMessage(POST);
    expect(envelope).toMatchObject({ ToUserName: 'ww1436e0e65a779aee', AgentID: '1000002' });
    expect(parseMessage(xml)).toEqual({
      kind: 'text',
      ToUserName: 'ww1436e0e65a779aee',
      FromUserName: 'ChenJiaShun',
      CreateTime: 1476422779,
      MsgType: 'text',
      Content: '你好',
      MsgId: '1456453720',
      AgentID: '1000002',
    });
  });

  it('accepts the sample within the replay window of its own time, and refuses it years later', () => {
    const then = createWecomCrypto({ ...SAMPLE, replayWindowS: 300, now: () => 1476416373_000 + 60_000 });
    expect(then.verifyUrl(VERIFY)).toBe('1288432023552776189');
    expect(failure(() => live.verifyUrl(VERIFY)).code).toBe('stale_timestamp');
    expect(failure(() => live.openMessage(POST)).code).toBe('stale_timestamp');
  });
});

describe('WeCom callback guards', () => {
  const at = { timestamp: String(NOW_S), nonce: '1320491847' };

  it('refuses a tampered ciphertext', () => {
    const q = wecomVerifyQuery({ ...SAMPLE, ...at, echo: 'hello' });
    const flipped = (q.echostr[0] === 'A' ? 'B' : 'A') + q.echostr.slice(1);
    expect(failure(() => live.verifyUrl({ ...q, echostr: flipped })).code).toBe('bad_signature');
  });

  it('refuses a re-signed tampered ciphertext (the library itself would decrypt garbage)', () => {
    const post = wecomEncryptedPost({ ...SAMPLE, ...at, xml: '<xml><MsgType>text</MsgType></xml>' });
    const encryptTag = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/;
    const raw = Buffer.from(encryptTag.exec(post.body)![1]!, 'base64');
    raw[0] = raw[0]! ^ 0x80; // garbles block 0 and flips the top bit of the length field in block 1
    const tampered = raw.toString('base64');
    expect(() => decrypt(SAMPLE.encodingAesKey, tampered)).not.toThrow();
    const body = post.body.replace(encryptTag, `<Encrypt><![CDATA[${tampered}]]></Encrypt>`);
    const msg_signature = getSignature(SAMPLE.token, at.timestamp, at.nonce, tampered);
    expect(failure(() => live.openMessage({ ...at, msg_signature, body })).code).toBe('bad_corp_id');
  });

  it('refuses a message encrypted for another corp', () => {
    const post = wecomEncryptedPost({ ...SAMPLE, corpId: 'wwffffffffffffffff', ...at, xml: '<xml/>' });
    expect(failure(() => live.openMessage({ ...post.query, body: post.body })).code).toBe('bad_corp_id');
  });

  it('refuses a wrong token, a missing signature and a signature for other parameters', () => {
    const q = wecomVerifyQuery({ ...SAMPLE, token: 'not-our-token', ...at, echo: 'x' });
    expect(failure(() => live.verifyUrl(q)).code).toBe('bad_signature');
    const good = wecomVerifyQuery({ ...SAMPLE, ...at, echo: 'x' });
    expect(failure(() => live.verifyUrl({ ...good, msg_signature: '' })).code).toBe('bad_signature');
    expect(failure(() => live.verifyUrl({ ...good, nonce: '1' })).code).toBe('bad_signature');
  });

  it('refuses timestamps outside the window in either direction', () => {
    for (const ts of [NOW_S - 301, NOW_S + 301]) {
      const q = wecomVerifyQuery({ ...SAMPLE, timestamp: String(ts), nonce: '5', echo: 'x' });
      expect(failure(() => live.verifyUrl(q)).code).toBe('stale_timestamp');
    }
    const inside = wecomVerifyQuery({ ...SAMPLE, timestamp: String(NOW_S - 299), nonce: '5', echo: 'ok' });
    expect(live.verifyUrl(inside)).toBe('ok');
  });

  it('refuses a signed payload that is not AES ciphertext', () => {
    const echostr = 'not base64!';
    const msg_signature = getSignature(SAMPLE.token, at.timestamp, at.nonce, echostr);
    const err = failure(() => live.verifyUrl({ ...at, msg_signature, echostr }));
    expect(err.code).toBe('bad_payload');
    expect(err.status).toBe(400);
  });

  it('opens what the signing helper builds, end to end', () => {
    const xml = '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token><OpenKfId><![CDATA[wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q]]></OpenKfId></xml>';
    const post = wecomEncryptedPost({ ...SAMPLE, ...at, xml });
    expect(parseMessage(live.openMessage({ ...post.query, body: post.body }).xml)).toMatchObject({ kind: 'kf_event', OpenKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' });
  });

  it('seals a passive reply WeCom can verify and decrypt', () => {
    const reply = '<xml><ToUserName>ChenJiaShun</ToUserName><MsgType>text</MsgType><Content>收到</Content></xml>';
    const sealed = live.sealReply(reply, { nonce: '1597212914' });
    const pick = (tag: string) => new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${tag}>`).exec(sealed)![1]!;
    expect(pick('TimeStamp')).toBe(String(NOW_S));
    expect(pick('MsgSignature')).toBe(getSignature(SAMPLE.token, pick('TimeStamp'), pick('Nonce'), pick('Encrypt')));
    expect(decrypt(SAMPLE.encodingAesKey, pick('Encrypt'))).toMatchObject({ message: reply, id: SAMPLE.corpId });
  });

  it('refuses a mistyped EncodingAESKey at startup', () => {
    expect(() => createWecomCrypto({ ...SAMPLE, encodingAesKey: 'short', replayWindowS: 0 })).toThrow(/43-character/);
  });
});
