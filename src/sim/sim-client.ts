import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';
import twilio from 'twilio';
import type { Db } from '../db/client.js';

/**
 * Talks to a running hotline the way the providers do: Twilio-signed form posts
 * for SMS and voice (following the TwiML action URLs of a call), WeCom-encrypted
 * callbacks for the app. Used by `hotline sim` and by tests.
 */
export type SimChannel = 'sms' | 'voice' | 'wecom';

export type SimOptions = {
  /** Where to send requests (the hotline's listening address). */
  baseUrl: string;
  /** The URL the providers are configured with (signatures cover it); usually PUBLIC_BASE_URL. */
  publicBaseUrl: string;
  channel: SimChannel;
  from: string;
  to?: string;
  twilio?: { accountSid: string; authToken: string };
  wecom?: { token: string; encodingAesKey: string; corpId: string; agentId?: string };
  /** WeCom replies go out through WeCom's API; the simulator reads them back from the database. */
  db?: Db;
};

/** Words, or on voice keypad digits (with or without words). */
export type SimInput = string | { text?: string; digits?: string };

export type SimClient = {
  start(): Promise<string[]>;
  send(input: SimInput): Promise<string[]>;
  /** True once the hotline hung up the call (voice); text channels never end on their own. */
  readonly ended: boolean;
};

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (n) => ['Say', 'Message'].includes(n) });
const texts = (nodes: unknown): string[] => ((nodes as unknown[]) ?? []).map((n) => (typeof n === 'string' ? n : String((n as Record<string, unknown>)['#text'] ?? '')));

export function createSimClient(o: SimOptions): SimClient {
  const sid = () => randomBytes(16).toString('hex');
  const to = o.to ?? '+8653912349';

  async function twilioPost(publicUrl: string, params: Record<string, string>) {
    if (!o.twilio) throw new Error('Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the values the hotline runs with');
    const signature = twilio.getExpectedTwilioSignature(o.twilio.authToken, publicUrl, params);
    const res = await fetch(`${o.baseUrl}${publicUrl.slice(o.publicBaseUrl.length)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params),
    });
    if (res.status === 404) throw new Error('The hotline has no Twilio routes: start it with TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN set');
    if (!res.ok) throw new Error(`The hotline answered ${res.status}: ${await res.text()}`);
    return ((xml.parse(await res.text()) as { Response?: unknown }).Response ?? {}) as Record<string, any>;
  }

  // Voice: the call walks through the action URLs the hotline's TwiML gives.
  const callSid = `CA${sid()}`;
  let nextAction = `${o.publicBaseUrl}/channels/twilio/voice`;
  let ended = false;
  const voiceTurn = async (params: Record<string, string>) => {
    const r = await twilioPost(nextAction, { CallSid: callSid, AccountSid: o.twilio?.accountSid ?? '', From: o.from, To: to, CallStatus: 'in-progress', ...params });
    const gather = r.Gather as Record<string, any> | undefined;
    if (gather) nextAction = gather['@action'];
    const said = [...texts(r.Say), ...(gather ? texts(gather.Say) : [])];
    if (r.Dial) said.push(`[转接值班电话 ${String(r.Dial.Number ?? '')}]`);
    if ('Hangup' in r) {
      said.push('[通话结束]');
      ended = true;
    }
    // Connected to a person or to voicemail: the hotline's part of the call is over too.
    if (r.Dial || r.Record) ended = true;
    return said;
  };

  async function wecomSend(text: string): Promise<string[]> {
    if (!o.wecom) throw new Error('Set WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY to the values the hotline runs with');
    const w = o.wecom;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = sid().slice(0, 10);
    const msgId = String(BigInt(`0x${sid().slice(0, 14)}`));
    const plain = `<xml><ToUserName><![CDATA[${w.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${w.agentId ?? '1000002'}</AgentID></xml>`;
    const cipher = encrypt(w.encodingAesKey, plain, w.corpId);
    const query = new URLSearchParams({ msg_signature: getSignature(w.token, timestamp, nonce, cipher), timestamp, nonce });
    const res = await fetch(`${o.baseUrl}/channels/wecom/callback?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${w.corpId}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt><AgentID><![CDATA[${w.agentId ?? ''}]]></AgentID></xml>`,
    });
    if (!res.ok) throw new Error(`The hotline answered ${res.status}: ${await res.text()}`);
    if (!o.db) return [];
    // Replies are stored before they are sent; read them back for the inbound message just posted.
    for (let i = 0; i < 50; i += 1) {
      const inbound = await o.db.message.findFirst({ where: { channel: 'wecom_app', direction: 'inbound', providerId: msgId, status: 'processed' } });
      if (inbound) {
        const out = await o.db.message.findMany({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } }, orderBy: { idempotencyKey: 'asc' } });
        return out.map((m) => m.text);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return ['[没有收到回复]'];
  }

  const smsSend = async (text: string) => {
    const r = await twilioPost(`${o.publicBaseUrl}/channels/twilio/sms`, { MessageSid: `SM${sid()}`, AccountSid: o.twilio?.accountSid ?? '', From: o.from, To: to, Body: text, NumMedia: '0' });
    return texts(r.Message);
  };

  return {
    get ended() {
      return ended;
    },
    async start() {
      return o.channel === 'voice' ? voiceTurn({ CallStatus: 'ringing' }) : [];
    },
    async send(input) {
      const { text = '', digits } = typeof input === 'string' ? { text: input } : input;
      // Text channels have no keypad: pressed digits arrive as typed digits.
      if (o.channel === 'sms') return smsSend(text || (digits ?? ''));
      if (o.channel === 'wecom') return wecomSend(text || (digits ?? ''));
      if (digits) return voiceTurn({ Digits: digits, ...(text ? { SpeechResult: text, Confidence: '0.9' } : {}) });
      // A line of keypad characters is pressed; anything else is spoken.
      return /^[0-9*#]+$/.test(text.trim()) ? voiceTurn({ Digits: text.trim() }) : voiceTurn({ SpeechResult: text, Confidence: '0.9' });
    },
  };
}
