import type { Config } from '../config.js';
import { createTwilioRest, type TwilioRest } from './twilio/rest.js';
import { createWecomApi, type WecomApi } from './wecom/api.js';

/** The provider clients outbound messages go through; a channel that is not configured is absent. */
export interface ChannelSenders {
  wecomApp?: Pick<WecomApi, 'sendAppText'>;
  wecomKf?: Pick<WecomApi, 'kfSendText' | 'kfSyncMsg'>;
  twilio?: Pick<TwilioRest, 'sendSms' | 'createCall'>;
}

export function sendersFromConfig(config: Pick<Config, 'wecom' | 'twilio'>): ChannelSenders {
  const w = config.wecom;
  const app = w?.secret ? createWecomApi({ baseUrl: w.apiBaseUrl, corpId: w.corpId, secret: w.secret }) : undefined;
  // Customer service may share the app's secret; then one client (and one cached token) serves both.
  const kf = w?.kfSecret && w.kfSecret !== w.secret ? createWecomApi({ baseUrl: w.apiBaseUrl, corpId: w.corpId, secret: w.kfSecret }) : app;
  const t = config.twilio;
  return {
    wecomApp: app,
    wecomKf: kf,
    twilio: t ? createTwilioRest({ baseUrl: t.apiBaseUrl, accountSid: t.accountSid, authToken: t.authToken }) : undefined,
  };
}
