import { describe, expect, it } from 'vitest';
import type { KfMessage } from '../../../src/channels/wecom/api.js';
import { WecomNotCustomerMessageError } from '../../../src/channels/wecom/errors.js';
import { appMediaToInbound, appTextToInbound, isCustomerMessage, kfMessageToInbound } from '../../../src/channels/wecom/normalize.js';
import { parseMessage } from '../../../src/channels/wecom/xml.js';

const at = new Date('2025-03-01T08:00:00Z');

const kfText: KfMessage = {
  msgid: 'from_msgid_4622416642169452483',
  open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q',
  external_userid: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
  send_time: 1615478585,
  origin: 3,
  msgtype: 'text',
  text: { content: '你好，我想问一下医疗救助', menu_id: '101' },
};

describe('WeCom normalisation', () => {
  it('maps an app text message', () => {
    const msg = parseMessage(
      '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
    );
    if (msg.kind !== 'text') throw new Error('expected text');
    expect(appTextToInbound(msg, at)).toMatchObject({
      channel: 'wecom_app',
      providerId: '1456453720',
      sender: 'ChenJiaShun',
      recipient: '1000002',
      text: '你好',
      media: [],
      receivedAt: at,
    });
  });

  it('maps app media for staff', () => {
    const msg = parseMessage(
      '<xml><ToUserName>ww1</ToUserName><FromUserName>LiSi</FromUserName><CreateTime>1700000000</CreateTime><MsgType>voice</MsgType><MediaId>m_voice</MediaId><Format>amr</Format><MsgId>9</MsgId><AgentID>1000002</AgentID></xml>',
    );
    if (msg.kind !== 'media') throw new Error('expected media');
    expect(appMediaToInbound(msg, at)).toMatchObject({ providerId: '9', text: '', media: [{ type: 'voice', ref: 'm_voice' }] });
  });

  it('maps a WeChat user’s customer-service message', () => {
    expect(kfMessageToInbound(kfText, at)).toMatchObject({
      channel: 'wecom_kf',
      providerId: 'from_msgid_4622416642169452483',
      sender: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
      recipient: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q',
      conversationRef: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q',
      text: '你好，我想问一下医疗救助',
      media: [],
    });
    const image: KfMessage = { ...kfText, msgid: 'm2', msgtype: 'image', text: undefined, image: { media_id: '2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw' } };
    expect(kfMessageToInbound(image, at)).toMatchObject({ text: '', media: [{ type: 'image', ref: '2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw' }] });
    const location: KfMessage = { ...kfText, msgid: 'm3', msgtype: 'location', text: undefined, location: { latitude: 23.1, longitude: 113.3, name: '广州' } };
    expect(kfMessageToInbound(location, at).media).toEqual([{ type: 'location', ref: '' }]);
  });

  it('refuses staff replies and system events', () => {
    const staff: KfMessage = { ...kfText, origin: 5, servicer_userid: 'zhangsan' };
    const event: KfMessage = { msgid: 'e1', open_kfid: kfText.open_kfid, send_time: 1, origin: 4, msgtype: 'event', event: { event_type: 'enter_session' } };
    expect(isCustomerMessage(kfText)).toBe(true);
    expect(isCustomerMessage(staff)).toBe(false);
    expect(isCustomerMessage(event)).toBe(false);
    expect(() => kfMessageToInbound(staff, at)).toThrow(WecomNotCustomerMessageError);
    expect(() => kfMessageToInbound(event, at)).toThrow(/isCustomerMessage/);
  });
});
