import twilio from 'twilio';

export type TwilioParams = Record<string, string | string[]>;

export interface VerifyTwilioSignatureInput {
  authToken: string;
  /** Public origin (and any path prefix the proxy strips), e.g. `https://hotline.example.gov.cn/api`. */
  publicBaseUrl: string;
  /** Path and query exactly as this service received them (fastify `request.url`). */
  path: string;
  /** Decoded form fields of the POST body. */
  params: TwilioParams;
  /** The `X-Twilio-Signature` header; missing means unsigned. */
  signature: string | undefined;
}

/**
 * The URL Twilio signed is the one configured in its console, i.e. the public one,
 * not the address the proxy forwarded to, so it is rebuilt from config.
 */
export function twilioSignedUrl(publicBaseUrl: string, path: string): string {
  return publicBaseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** True only when the request carries a valid signature for this account's auth token. */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  const { authToken, signature } = input;
  if (!authToken || !signature) return false;
  try {
    return twilio.validateRequest(authToken, signature, twilioSignedUrl(input.publicBaseUrl, input.path), input.params);
  } catch {
    // validateRequest throws on a URL it cannot parse: that can never be a valid signature.
    return false;
  }
}
