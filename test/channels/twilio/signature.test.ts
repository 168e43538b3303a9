import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { twilioSignedUrl, verifyTwilioSignature } from '../../../src/channels/twilio/signature.js';
import { twilioSignedForm } from '../../fakes/sign.js';

/**
 * Twilio's worked example (twilio.com/docs/usage/security, "Validating requests"):
 * auth token 12345 and this URL. The page has carried two caller numbers over the
 * years; each pairs with its own signature, and the package agrees with both.
 */
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docParams = (caller: string) => ({ CallSid: 'CA1234567890ABCDE', Caller: caller, Digits: '1234', From: caller, To: '+18005551212' });
const DOC_VECTORS = [
  { caller: '+12349013030', signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' },
  { caller: '+14158675310', signature: 'GvWf1cFY/Q7PnoempGyD5oXAezc=' },
];

const verifyDoc = (params: Record<string, string>, signature: string | undefined) =>
  verifyTwilioSignature({ authToken: '12345', publicBaseUrl: 'https://mycompany.com', path: '/myapp.php?foo=1&bar=2', params, signature });

describe('Twilio signature', () => {
  it.each(DOC_VECTORS)('accepts the published example with caller $caller', ({ caller, signature }) => {
    expect(twilio.getExpectedTwilioSignature('12345', DOC_URL, docParams(caller))).toBe(signature);
    expect(verifyDoc(docParams(caller), signature)).toBe(true);
  });

  it('does not accept one published signature for the other caller number', () => {
    expect(verifyDoc(docParams('+12349013030'), 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
  });

  it('refuses forged, tampered and missing signatures', () => {
    const params = docParams('+12349013030');
    expect(verifyDoc(params, undefined)).toBe(false);
    expect(verifyDoc(params, '')).toBe(false);
    expect(verifyDoc(params, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
    expect(verifyDoc({ ...params, Digits: '9999' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
    expect(verifyTwilioSignature({ authToken: 'other', publicBaseUrl: 'https://mycompany.com', path: '/myapp.php?foo=1&bar=2', params, signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' })).toBe(false);
  });

  it('verifies against the public URL when the service sits behind a proxy', () => {
    const publicBaseUrl = 'https://hotline.example.gov.cn/api/';
    const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', From: '+8613800000000', To: '+8612349000000', Body: '低保怎么申请' };
    const { headers } = twilioSignedForm('tok', 'https://hotline.example.gov.cn/api/twilio/sms?line=12349', params);
    const signature = headers['x-twilio-signature'];
    // The proxy strips /api and forwards to an internal address: the received path is what remains.
    expect(verifyTwilioSignature({ authToken: 'tok', publicBaseUrl, path: '/twilio/sms?line=12349', params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken: 'tok', publicBaseUrl: 'http://10.0.0.5:3000', path: '/twilio/sms?line=12349', params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken: 'tok', publicBaseUrl, path: '/twilio/sms?line=12345', params, signature })).toBe(false);
  });

  it('joins base and path with exactly one slash', () => {
    expect(twilioSignedUrl('https://a.example/', '/x?y=1')).toBe('https://a.example/x?y=1');
    expect(twilioSignedUrl('https://a.example', 'x')).toBe('https://a.example/x');
  });

  it('treats an unparseable base URL as an invalid signature rather than throwing', () => {
    expect(verifyTwilioSignature({ authToken: 't', publicBaseUrl: 'not a url', path: '/x', params: {}, signature: 'abc' })).toBe(false);
  });
});
