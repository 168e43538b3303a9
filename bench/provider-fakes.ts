/**
 * The Twilio and WeCom REST fakes of the HTTP bench in a process of their own (started by bench/run.ts): what a
 * provider does is neither the hotline's CPU nor the load generator's. IPC: sends {type:'ready', twilio, wecom}
 * (their URLs); exits on {type:'stop'} or when the runner goes away.
 */
import { startFakeTwilio } from '../test/fakes/twilio-api.js';
import { startFakeWecom } from '../test/fakes/wecom-api.js';
import { BENCH_CREDENTIALS as C } from './load.js';

const twilio = await startFakeTwilio({ accountSid: C.TWILIO_ACCOUNT_SID, authToken: C.TWILIO_AUTH_TOKEN });
const wecom = await startFakeWecom({ corpId: C.WECOM_CORP_ID, secret: C.WECOM_SECRET });
// The fakes remember every request for tests' assertions; a bench sends hundreds of thousands.
setInterval(() => {
  twilio.requests.length = 0;
  wecom.requests.length = 0;
  wecom.sent.length = 0;
}, 5_000).unref();
const stop = async () => {
  await Promise.allSettled([twilio.close(), wecom.close()]);
  process.exit(0);
};
process.on('message', (m: { type: string }) => void (m.type === 'stop' && stop()));
process.on('disconnect', () => void stop());
process.send?.({ type: 'ready', twilio: twilio.url, wecom: wecom.url });
