import { describe, expect, it } from 'vitest';
import { TwilioParamsError } from '../../../src/channels/twilio/errors.js';
import { parseVoiceParams, smsToInbound, voiceTurnToInbound } from '../../../src/channels/twilio/parse.js';

const at = new Date('2025-03-01T08:00:00Z');

/** Field set of a real inbound SMS webhook. */
const sms = {
  ToCountry: 'CN',
  SmsMessageSid: 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  NumMedia: '0',
  SmsSid: 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  SmsStatus: 'received',
  Body: '我想咨询低保',
  To: '+8610123490000',
  NumSegments: '1',
  MessageSid: 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  AccountSid: 'AC00000000000000000000000000000000',
  From: '+8613800138000',
  ApiVersion: '2010-04-01',
};

const call = {
  AccountSid: 'AC00000000000000000000000000000000',
  ApiVersion: '2010-04-01',
  CallSid: 'CA11111111111111111111111111111111',
  CallStatus: 'in-progress',
  Called: '+8610123490000',
  Caller: '+8613800138000',
  Direction: 'inbound',
  From: '+8613800138000',
  To: '+8610123490000',
};

describe('Twilio SMS webhook', () => {
  it('normalises a text message', () => {
    const m = smsToInbound(sms, at);
    expect(m).toMatchObject({
      channel: 'sms',
      providerId: sms.MessageSid,
      sender: '+8613800138000',
      recipient: '+8610123490000',
      text: '我想咨询低保',
      media: [],
      receivedAt: at,
    });
    expect(m.raw.SmsStatus).toBe('received');
  });

  it('accepts an empty body', () => {
    expect(smsToInbound({ ...sms, Body: '' }, at).text).toBe('');
    const { Body: _omitted, ...noBody } = sms;
    expect(smsToInbound(noBody, at).text).toBe('');
  });

  it('keeps media of an MMS without text', () => {
    const m = smsToInbound(
      {
        ...sms,
        Body: '',
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1',
        MediaContentType1: 'application/pdf',
      },
      at,
    );
    expect(m.text).toBe('');
    expect(m.media).toEqual([
      { type: 'image/jpeg', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0' },
      { type: 'application/pdf', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1' },
    ]);
  });

  it('refuses a webhook without sender, naming fields but not values', () => {
    const { From: _omitted, ...noFrom } = sms;
    const err = (() => {
      try {
        smsToInbound(noFrom, at);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TwilioParamsError);
    expect((err as TwilioParamsError).code).toBe('twilio_bad_params');
    expect((err as Error).message).toContain('From');
    expect((err as Error).message).not.toContain('13800138000');
  });
});

describe('Twilio voice webhooks', () => {
  it('turns a Gather speech result into a turn keyed by CallSid and step', () => {
    const m = voiceTurnToInbound({ ...call, SpeechResult: '我家里有老人需要照顾。', Confidence: '0.87' }, 'ask-need', at);
    expect(m).toMatchObject({
      channel: 'voice',
      providerId: 'CA11111111111111111111111111111111:ask-need',
      sender: '+8613800138000',
      recipient: '+8610123490000',
      text: '我家里有老人需要照顾。',
      speechConfidence: 0.87,
      conversationRef: call.CallSid,
    });
  });

  it('gives a retried action URL the same providerId', () => {
    const a = voiceTurnToInbound({ ...call, Digits: '1' }, '3', at);
    const b = voiceTurnToInbound({ ...call, Digits: '1' }, '3', new Date());
    expect(a.providerId).toBe(b.providerId);
  });

  it('keeps keypad digits with * standing for X', () => {
    const m = voiceTurnToInbound({ ...call, Digits: '11010519491231002*', FinishedOnKey: '#' }, 'id', at);
    expect(m.digits).toBe('11010519491231002*');
    expect(m.text).toBe('');
    expect(m.speechConfidence).toBeUndefined();
  });

  it('treats a silent turn as empty, and a recording as media', () => {
    expect(voiceTurnToInbound(call, 'q1', at)).toMatchObject({ text: '', media: [] });
    const rec = voiceTurnToInbound(
      { ...call, RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1', RecordingDuration: '14', Digits: 'hangup' },
      'voicemail',
      at,
    );
    expect(rec.media).toEqual([{ type: 'audio/wav', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1' }]);
    expect(rec.digits).toBeUndefined();
  });

  it('answers a withheld caller ID as anonymous', () => {
    expect(voiceTurnToInbound({ ...call, From: '' }, 'start', at).sender).toBe('anonymous');
  });

  it('parses the Dial action status', () => {
    expect(parseVoiceParams({ ...call, DialCallStatus: 'no-answer' }).DialCallStatus).toBe('no-answer');
    expect(() => parseVoiceParams({ ...call, DialCallStatus: 'maybe' })).toThrow(TwilioParamsError);
  });

  it('refuses an unknown call status and an empty turn', () => {
    expect(() => voiceTurnToInbound({ ...call, CallStatus: 'weird' }, 't', at)).toThrow(/CallStatus/);
    expect(() => voiceTurnToInbound(call, '', at)).toThrow(TwilioParamsError);
  });
});
