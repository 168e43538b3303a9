import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/domain/messages.js';
import { TwimlConfigError } from '../../../src/channels/twilio/errors.js';
import { NO_INPUT_PARAM, SMS_MAX_CHARS, smsTwiml, voiceTwiml } from '../../../src/channels/twilio/twiml.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['Say', 'Message', 'Number'].includes(name),
});
type Node = Record<string, any>;
const parse = (xml: string): Node => parser.parse(xml).Response as Node;

describe('SMS TwiML', () => {
  it('sends one <Message> per reply', () => {
    const xml = smsTwiml([{ text: '您好，这里是12349。' }, { text: '请回复序号选择。' }]);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(parse(xml).Message).toEqual(['您好，这里是12349。', '请回复序号选择。']);
  });

  it('is an empty <Response/> with no replies', () => {
    expect(smsTwiml([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('escapes markup and splits replies over the 1600-character limit', () => {
    const xml = smsTwiml([{ text: 'a < b & c' }]);
    expect(xml).toContain('<Message>a &lt; b &amp; c</Message>');
    expect(parse(xml).Message).toEqual(['a < b & c']);
    const long = '字'.repeat(SMS_MAX_CHARS + 5);
    const parts = parse(smsTwiml([{ text: long }])).Message as string[];
    expect(parts.map((p) => p.length)).toEqual([SMS_MAX_CHARS, 5]);
  });
});

describe('voice TwiML', () => {
  const actionUrl = '/twilio/voice/turn?step=2';

  it('asks inside a Mandarin Gather and redirects with a no-input marker', () => {
    const replies: Reply[] = [{ text: '您好，这里是社会救助热线。' }, { text: '请问您要办理什么业务？', speech: '请说出您要办理的业务。' }];
    const r = parse(voiceTwiml(replies, { actionUrl }));
    expect(r.Say).toEqual([{ language: 'cmn-CN', voice: 'Polly.Zhiyu', '#text': '您好，这里是社会救助热线。' }]);
    expect(r.Gather).toMatchObject({
      input: 'speech dtmf',
      language: 'cmn-Hans-CN',
      action: actionUrl,
      method: 'POST',
      speechTimeout: 'auto',
      timeout: '6',
    });
    expect(r.Gather.finishOnKey).toBeUndefined();
    expect(r.Gather.Say).toEqual([{ language: 'cmn-CN', voice: 'Polly.Zhiyu', '#text': '请说出您要办理的业务。' }]);
    expect(r.Redirect).toEqual({ method: 'POST', '#text': `/twilio/voice/turn?step=2&${NO_INPUT_PARAM}=1` });
    expect(r.Dial).toBeUndefined();
    expect(r.Hangup).toBeUndefined();
  });

  it('offers the keypad for digits with # to finish so * can stand for X', () => {
    const reply: Reply = {
      text: '请输入身份证号码。',
      expect: { kind: 'digits', keypadHint: '请用按键输入，星号代表X，井号结束。', maxDigits: 18 },
    };
    const r = parse(voiceTwiml([reply], { actionUrl: 'https://h.example/voice?step=id' }));
    expect(r.Gather).toMatchObject({ input: 'speech dtmf', finishOnKey: '#', numDigits: '18', timeout: '10', action: 'https://h.example/voice?step=id' });
    expect(r.Gather.Say.map((s: Node) => s['#text'])).toEqual(['请输入身份证号码。', '请用按键输入，星号代表X，井号结束。']);
    expect(r.Say).toBeUndefined();
    expect(r.Redirect['#text']).toBe(`https://h.example/voice?step=id&${NO_INPUT_PARAM}=1`);
  });

  it('adds ? for the no-input marker when the action URL has no query', () => {
    expect(parse(voiceTwiml([{ text: '请讲' }], { actionUrl: '/v' })).Redirect['#text']).toBe(`/v?${NO_INPUT_PARAM}=1`);
  });

  it('rings all duty numbers after speaking when a reply asks to connect', () => {
    const r = parse(
      voiceTwiml([{ text: '正在为您转接值班人员，请稍候。', dial: true }], {
        actionUrl,
        dialNumbers: ['+8610123450001', '+8610123450002'],
        dialActionUrl: '/twilio/voice/dial-status',
      }),
    );
    expect(r.Say[0]['#text']).toBe('正在为您转接值班人员，请稍候。');
    expect(r.Dial).toMatchObject({ action: '/twilio/voice/dial-status', method: 'POST', timeout: '20' });
    expect(r.Dial.Number).toEqual(['+8610123450001', '+8610123450002']);
    expect(r.Gather).toBeUndefined();
  });

  it('falls back to voicemail when nobody can be dialled, and refuses when neither is configured', () => {
    const r = parse(voiceTwiml([{ text: '值班人员暂时无法接听，请在提示音后留言。', dial: true }], { actionUrl, recordActionUrl: '/twilio/voice/recorded' }));
    expect(r.Record).toMatchObject({ action: '/twilio/voice/recorded', method: 'POST', playBeep: 'true' });
    expect(() => voiceTwiml([{ text: '转接', dial: true }], { actionUrl, dialNumbers: [] })).toThrow(TwimlConfigError);
  });

  it('says goodbye and hangs up', () => {
    const r = parse(voiceTwiml([{ text: '感谢来电，再见。', hangup: true }], { actionUrl }));
    expect(r.Say[0]['#text']).toBe('感谢来电，再见。');
    expect(r.Hangup).toBe('');
    expect(r.Gather).toBeUndefined();
    expect(r.Redirect).toBeUndefined();
  });
});
