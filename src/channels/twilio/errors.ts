import { AppError } from '../../errors.js';

/** A webhook whose fields do not match what Twilio sends: answer 400, nothing to retry. */
export class TwilioParamsError extends AppError {
  declare readonly code: 'twilio_bad_params';
  constructor(message: string, details?: unknown) {
    super('twilio_bad_params', message, 400, false, details);
    this.name = 'TwilioParamsError';
  }
}

export type TwilioApiErrorCode = 'twilio_rejected' | 'twilio_unavailable' | 'twilio_bad_response';

/** A REST call that failed; `twilioCode` is Twilio's own error number (see twilio.com/docs/errors/<code>). */
export class TwilioApiError extends AppError {
  declare readonly code: TwilioApiErrorCode;
  constructor(
    code: TwilioApiErrorCode,
    message: string,
    readonly httpStatus?: number,
    readonly twilioCode?: number,
    readonly moreInfo?: string,
  ) {
    super(code, message, 502, true, { httpStatus, twilioCode, moreInfo });
    this.name = 'TwilioApiError';
  }
}

/** TwiML that cannot be rendered because configuration is missing (an operator must fix it). */
export class TwimlConfigError extends AppError {
  declare readonly code: 'twiml_no_dial_target';
  constructor(message: string) {
    super('twiml_no_dial_target', message, 500, true);
    this.name = 'TwimlConfigError';
  }
}
