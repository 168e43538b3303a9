import { describe, expect, it } from 'vitest';
import { renderFor, speak } from '../../src/dialogs/render.js';

describe('renderFor', () => {
  const replies = [
    { text: '已记下。' },
    { text: '请告诉我身份证号。', expect: { kind: 'any' as const, keypadHint: '请用电话按键输入身份证号，X用星号代替，输完按井号键', finishOnKey: '#' } },
  ];

  it('voice: one prompt, spoken form, the last question decides the keypad', () => {
    expect(renderFor('voice', replies)).toEqual([
      {
        text: '已记下。\n请告诉我身份证号。',
        speech: '已记下。请告诉我身份证号。',
        expect: { kind: 'any', keypadHint: '请用电话按键输入身份证号，X用星号代替，输完按井号键', finishOnKey: '#' },
      },
    ]);
  });

  it('voice: a closing reply hangs up instead of waiting', () => {
    const [reply] = renderFor('voice', [{ text: '再见。', hangup: true, expect: { kind: 'any' } }]);
    expect(reply).toEqual({ text: '再见。', speech: '再见。', hangup: true });
  });

  it('sms: plain text, joined, each message within 300 characters, cut at sentence ends', () => {
    const sentence = '这是一句二十个字左右的话，用来凑长度的。';
    const long = Array.from({ length: 40 }, () => sentence).join('');
    const out = renderFor('sms', [{ text: long, speech: 'x', expect: { kind: 'any' } }]);
    expect(out.length).toBeGreaterThan(2);
    for (const r of out) {
      expect(Object.keys(r)).toEqual(['text']);
      expect(r.text.length).toBeLessThanOrEqual(300);
      expect(r.text.endsWith('。')).toBe(true);
    }
    expect(out.map((r) => r.text).join('')).toBe(long);
  });

  it('wecom: one plain text message, no voice fields', () => {
    expect(renderFor('wecom_app', [{ text: 'a', dial: true }, { text: 'b', speech: 'B', expect: { kind: 'digits' } }])).toEqual([{ text: 'a\nb' }]);
  });

  it('nothing to say stays nothing', () => {
    expect(renderFor('sms', [])).toEqual([]);
  });
});

describe('speak', () => {
  it('reads masked numbers by their tail and numbers digit by digit', () => {
    expect(speak('身份证号：110***********002X，电话138****1234')).toBe('身份证号：尾号0 0 2 X，电话尾号1 2 3 4');
    expect(speak('请拨打119（火警）或12349')).toBe('请拨打1 1 9火警或1 2 3 4 9');
    expect(speak('承办编号：202611220001')).toBe('承办编号：2 0 2 6，1 1 2 2，0 0 0 1');
    expect(speak('20个工作日，24小时')).toBe('20个工作日，24小时');
  });

  it('turns text-channel wording into keypad wording', () => {
    expect(speak('回复1开始申请，或回复"跳过"')).toBe('按1开始申请，或说跳过');
  });
});
