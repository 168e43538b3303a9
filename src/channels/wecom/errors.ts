import { AppError } from '../../errors.js';

export type WecomCryptoErrorCode = 'bad_signature' | 'bad_corp_id' | 'stale_timestamp' | 'bad_payload';

/** A callback that did not come from WeCom for this corp, or came too late to trust. */
export class WecomCryptoError extends AppError {
  declare readonly code: WecomCryptoErrorCode;
  constructor(code: WecomCryptoErrorCode, message: string) {
    super(code, message, code === 'bad_payload' ? 400 : 403);
    this.name = 'WecomCryptoError';
  }
}

export type WecomXmlReason = 'too_large' | 'doctype' | 'malformed' | 'shape';

/** XML that is refused before or while parsing; `reason` says which guard tripped. */
export class WecomXmlError extends AppError {
  declare readonly code: 'bad_xml';
  constructor(
    readonly reason: WecomXmlReason,
    message: string,
    details?: unknown,
  ) {
    super('bad_xml', message, reason === 'too_large' ? 413 : 400, false, details);
    this.name = 'WecomXmlError';
  }
}

export type WecomApiErrorCode = 'wecom_rejected' | 'wecom_unavailable' | 'wecom_bad_response';

/** A WeCom API call that failed; `errcode`/`errmsg` are WeCom's own (look up errcode in its global error list). */
export class WecomApiError extends AppError {
  declare readonly code: WecomApiErrorCode;
  constructor(
    code: WecomApiErrorCode,
    message: string,
    readonly errcode?: number,
    readonly errmsg?: string,
  ) {
    super(code, message, 502, true, { errcode, errmsg });
    this.name = 'WecomApiError';
  }
}

/** A customer-service record that is not a message from a WeChat user (staff reply, system event). */
export class WecomNotCustomerMessageError extends AppError {
  declare readonly code: 'wecom_not_customer_message';
  constructor(message: string) {
    super('wecom_not_customer_message', message, 400);
    this.name = 'WecomNotCustomerMessageError';
  }
}
