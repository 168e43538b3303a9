import { randomInt, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../errors.js';
import { WecomCryptoError } from './errors.js';
import { parseEnvelope, type WecomEnvelope } from './xml.js';

export interface WecomCryptoOptions {
  token: string;
  /** 43-character key from the callback settings page. */
  encodingAesKey: string;
  corpId: string;
  /** Refuse callbacks whose timestamp is further than this from now; 0 disables the check. */
  replayWindowS: number;
  /** Current time in epoch milliseconds (tests pin it). */
  now?: () => number;
}

export interface SignedQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

export interface WecomCrypto {
  /** GET URL check: returns the decrypted echostr to send back verbatim. */
  verifyUrl(query: SignedQuery & { echostr: string }): string;
  /** POST callback: verifies and decrypts the envelope, returning the plaintext message XML. */
  openMessage(input: SignedQuery & { body: string }): { xml: string; envelope: WecomEnvelope };
  /** Encrypted passive-reply envelope for the plaintext reply XML. */
  sealReply(xml: string, at?: { timestamp?: string; nonce?: string }): string;
}

/** Ciphertext is base64 of whole AES blocks: 16-byte random + 4-byte length + body + receiveid, padded. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Length is not secret (a SHA-1 hex digest, or a CorpID the attacker could guess the size of).
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createWecomCrypto(opts: WecomCryptoOptions): WecomCrypto {
  const now = opts.now ?? Date.now;
  // Fail at startup, not on the first callback, when the key is mistyped.
  if (Buffer.from(`${opts.encodingAesKey}=`, 'base64').length !== 32) {
    throw new AppError('wecom_bad_config', 'WeCom EncodingAESKey must be the 43-character key shown in the callback settings', 500, true);
  }

  function checkSignature(q: SignedQuery, ciphertext: string): void {
    if (!q.msg_signature || !q.timestamp || !q.nonce) {
      throw new WecomCryptoError('bad_signature', 'WeCom callback is missing msg_signature, timestamp or nonce in its query string');
    }
    const expected = getSignature(opts.token, q.timestamp, q.nonce, ciphertext);
    if (!sameSecret(expected, q.msg_signature.toLowerCase())) {
      throw new WecomCryptoError('bad_signature', 'WeCom msg_signature does not match: check the callback Token, or the request did not come from WeCom');
    }
  }

  function checkFreshness(timestamp: string): void {
    if (opts.replayWindowS <= 0) return;
    const sent = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    if (!Number.isFinite(sent) || Math.abs(now() / 1000 - sent) > opts.replayWindowS) {
      throw new WecomCryptoError('stale_timestamp', `WeCom callback timestamp is more than ${opts.replayWindowS}s from server time: a replay, or the server clock is wrong`);
    }
  }

  function open(ciphertext: string): string {
    const size = BASE64.test(ciphertext) ? Buffer.from(ciphertext, 'base64').length : 0;
    if (size < 32 || size % 16 !== 0) {
      throw new WecomCryptoError('bad_payload', 'WeCom ciphertext is not base64 of whole AES blocks');
    }
    let plain: { message: string; id: string };
    try {
      plain = decrypt(opts.encodingAesKey, ciphertext);
    } catch {
      throw new WecomCryptoError('bad_payload', 'WeCom ciphertext cannot be decrypted: check the EncodingAESKey');
    }
    // The library does not authenticate the plaintext: garbage decrypts "fine" but never ends in our CorpID.
    if (!sameSecret(plain.id, opts.corpId)) {
      throw new WecomCryptoError('bad_corp_id', 'WeCom message is addressed to another CorpID: check the configured CorpID and EncodingAESKey');
    }
    return plain.message;
  }

  return {
    verifyUrl(q) {
      checkSignature(q, q.echostr);
      checkFreshness(q.timestamp);
      return open(q.echostr);
    },
    openMessage(input) {
      const envelope = parseEnvelope(input.body);
      checkSignature(input, envelope.Encrypt);
      checkFreshness(input.timestamp);
      return { xml: open(envelope.Encrypt), envelope };
    },
    sealReply(xml, at = {}) {
      const timestamp = at.timestamp ?? String(Math.floor(now() / 1000));
      const nonce = at.nonce ?? String(randomInt(1e9, 1e10));
      const ciphertext = encrypt(opts.encodingAesKey, xml, opts.corpId);
      const signature = getSignature(opts.token, timestamp, nonce, ciphertext);
      return `<xml><Encrypt><![CDATA[${ciphertext}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
    },
  };
}
