import { describe, expect, it } from 'vitest';
import { WecomXmlError, type WecomXmlReason } from '../../../src/channels/wecom/errors.js';
import { MAX_XML_BYTES, parseEnvelope, parseMessage } from '../../../src/channels/wecom/xml.js';

function refused(xml: string, parse: (x: string) => unknown = parseMessage): WecomXmlError {
  try {
    parse(xml);
  } catch (err) {
    expect(err).toBeInstanceOf(WecomXmlError);
    expect((err as WecomXmlError).code).toBe('bad_xml');
    return err as WecomXmlError;
  }
  throw new Error('expected bad_xml');
}
const reason = (xml: string): WecomXmlReason => refused(xml).reason;

const textXml = (extra = '') =>
  `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[LiSi]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我要申请临时救助]]></Content><MsgId>7308712345678901234</MsgId><AgentID>1000002</AgentID>${extra}</xml>`;

describe('WeCom XML safety', () => {
  it('refuses an entity bomb without expanding it', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><xml><Content>&lol2;</Content></xml>';
    expect(reason(bomb)).toBe('doctype');
  });

  it('refuses external entities', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>';
    expect(reason(xxe)).toBe('doctype');
    expect(refused(xxe, parseEnvelope).reason).toBe('doctype');
  });

  it('refuses a DOCTYPE in any case or position', () => {
    expect(reason('<!doctype xml><xml><a>1</a></xml>')).toBe('doctype');
    expect(reason(textXml().replace('</xml>', '</xml><!DOCTYPE x>'))).toBe('doctype');
  });

  it('accepts the words "<!DOCTYPE" typed inside a message', () => {
    const msg = parseMessage(textXml().replace('我要申请临时救助', '<!DOCTYPE html> 是什么'));
    expect(msg).toMatchObject({ kind: 'text', Content: '<!DOCTYPE html> 是什么' });
  });

  it('leaves unknown entity references unexpanded', () => {
    const msg = parseMessage(textXml().replace('<![CDATA[我要申请临时救助]]>', 'a &amp; b &xxe;'));
    expect(msg).toMatchObject({ kind: 'text', Content: 'a & b &xxe;' });
  });

  it('caps the size', () => {
    const err = refused(textXml().replace('我要申请临时救助', 'x'.repeat(MAX_XML_BYTES)));
    expect(err.reason).toBe('too_large');
    expect(err.status).toBe(413);
  });

  it('refuses malformed XML with where it broke', () => {
    const err = refused('<xml><ToUserName>a</FromUserName></xml>');
    expect(err.reason).toBe('malformed');
    expect(err.message).toMatch(/line 1/);
    expect(reason('')).toBe('malformed');
    expect(reason('not xml at all')).toBe('malformed');
    expect(reason('<root><a>1</a></root>')).toBe('shape');
  });
});

describe('WeCom envelope and messages', () => {
  it('parses the encrypted envelope, with or without AgentID', () => {
    expect(parseEnvelope('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>')).toEqual({
      ToUserName: 'ww1',
      Encrypt: 'abc=',
      AgentID: '1000002',
    });
    expect(parseEnvelope('<xml><ToUserName>ww1</ToUserName><Encrypt>abc=</Encrypt></xml>').AgentID).toBeUndefined();
    expect(refused('<xml><ToUserName>ww1</ToUserName></xml>', parseEnvelope).message).toMatch(/Encrypt/);
  });

  it('keeps a 64-bit MsgId exact', () => {
    expect(parseMessage(textXml())).toMatchObject({ kind: 'text', MsgId: '7308712345678901234', CreateTime: 1700000000, AgentID: '1000002' });
  });

  it('parses the customer-service event from the official example', () => {
    const xml =
      '<xml>\n   <ToUserName><![CDATA[ww12345678910]]></ToUserName>\n   <CreateTime>1348831860</CreateTime>\n   <MsgType><![CDATA[event]]></MsgType>\n' +
      '   <Event><![CDATA[kf_msg_or_event]]></Event>\n   <Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token>\n   <OpenKfId><![CDATA[wkxxxxxxx]]></OpenKfId>\n</xml>';
    expect(parseMessage(xml)).toEqual({
      kind: 'kf_event',
      ToUserName: 'ww12345678910',
      CreateTime: 1348831860,
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
      OpenKfId: 'wkxxxxxxx',
    });
  });

  it('types app media, and acknowledges locations and other events as unsupported', () => {
    const image =
      '<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[LiSi]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType>' +
      '<PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl><MediaId><![CDATA[media_1]]></MediaId><MsgId>123</MsgId><AgentID>1000002</AgentID></xml>';
    expect(parseMessage(image)).toMatchObject({ kind: 'media', MsgType: 'image', MediaId: 'media_1', FromUserName: 'LiSi' });

    const location =
      '<xml><ToUserName>ww1</ToUserName><FromUserName>LiSi</FromUserName><CreateTime>1700000000</CreateTime><MsgType>location</MsgType>' +
      '<Location_X>39.9</Location_X><Location_Y>116.4</Location_Y><Scale>15</Scale><Label>北京</Label><MsgId>124</MsgId><AgentID>1000002</AgentID></xml>';
    expect(parseMessage(location)).toMatchObject({ kind: 'unsupported', MsgType: 'location', MsgId: '124' });

    const enter = '<xml><ToUserName>ww1</ToUserName><FromUserName>LiSi</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1000002</AgentID></xml>';
    expect(parseMessage(enter)).toMatchObject({ kind: 'unsupported', MsgType: 'event', Event: 'enter_agent' });
  });

  it('refuses a text message missing its id or with a repeated field', () => {
    expect(refused(textXml().replace('<MsgId>7308712345678901234</MsgId>', '')).message).toMatch(/MsgId/);
    expect(reason(textXml('<FromUserName>Other</FromUserName>'))).toBe('shape');
  });
});
