import { describe, expect, it } from 'vitest';
import { redactIdNumbers, redactKeypad } from '../../src/privacy/redact-id-numbers.js';

const ID = '11010519491231002X';
const MASKED = '110***********002X';
const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('redactIdNumbers: what a resident wrote, as it is kept in the transcript', () => {
  it('masks a typed ID number as staff see it by default, keeping the words around it', () => {
    expect(redactIdNumbers(`我的身份证${ID}，电话13812345678`)).toBe(`我的身份证${MASKED}，电话13812345678`);
  });

  it('masks a full-width number, keeping its full-width ends', () => {
    expect(redactIdNumbers(`身份证：${fullWidth(ID)}`)).toBe(`身份证：${fullWidth('110')}***********${fullWidth('002X')}`);
  });

  it('masks a number broken up by spaces, ideographic spaces or hyphens', () => {
    expect(redactIdNumbers('身份证 110105 19491231 002X 谢谢')).toBe(`身份证 ${MASKED} 谢谢`);
    expect(redactIdNumbers('身份证110105\u300019491231\u3000002X')).toBe(`身份证${MASKED}`);
    expect(redactIdNumbers('身份证110-105-1949-1231-002X')).toBe(`身份证${MASKED}`);
  });

  it('numbers typed side by side: two phones stay readable, an ID beside a phone is masked alone', () => {
    expect(redactIdNumbers('电话13812345678 13912345678')).toBe('电话13812345678 13912345678');
    expect(redactIdNumbers(`13800138000 ${ID}`)).toBe(`13800138000 ${MASKED}`);
    // Typed in groups beside a phone, the ID is found as the dialog finds it and hidden whole.
    expect(redactIdNumbers('13800138000 110105 19491231 002X')).not.toMatch(/19491231/);
  });

  it('masks a number ending in a lowercase x', () => {
    expect(redactIdNumbers(`身份证${ID.toLowerCase()}。`)).toBe('身份证110***********002x。');
  });

  it('leaves traditional characters around a typed number as written', () => {
    expect(redactIdNumbers(`我叫王秀雲，身份證${ID}，家裡三口人`)).toBe(`我叫王秀雲，身份證${MASKED}，家裡三口人`);
  });

  it('masks a spoken number (幺幺零…, 叉 for X) wholly, since its digits are words', () => {
    const out = redactIdNumbers('身份证幺幺零一零五一九四九一二三一零零二叉');
    expect(out).toBe(`身份证${'*'.repeat(18)}`);
    expect(redactIdNumbers('我的身份证一一零一零五一九四九一二三一零零二X，谢谢')).toBe(`我的身份证${'*'.repeat(18)}，谢谢`);
  });

  it('masks every number in a message, typed and spoken', () => {
    expect(redactIdNumbers(`我的${ID}，老伴的440524188001010014`)).toBe(`我的${MASKED}，老伴的440***********0014`);
    const mixed = redactIdNumbers(`我的身份证号是${ID}，我老伴的是四四零五二四一八八零零一零一零零一四`);
    expect(mixed).toBe(`我的身份证号是${MASKED}，我老伴的是${'*'.repeat(18)}`);
  });

  it('keeps a phone number readable, written or spoken, and text without numbers unchanged', () => {
    for (const text of ['电话13812345678', '打电话给 138 1234 5678', '+86 138-1234-5678', '电话一三八一二三四五六七八', '家里着火了，老人被困', '', '门牌号 12 号，3 口人']) {
      expect(redactIdNumbers(text)).toBe(text);
    }
  });
});

describe('redactKeypad: digits keyed on a call', () => {
  it('masks 15 or more digits (an ID number, * standing for X), keeping the closing #', () => {
    expect(redactKeypad('11010519491231002*')).toBe('110***********002*');
    expect(redactKeypad('11010519491231002*#')).toBe('110***********002*#');
    expect(redactKeypad('110105491231002')).toBe('110********1002');
  });

  it('leaves menu choices and phone numbers as keyed', () => {
    for (const digits of ['1', '2#', '13812345678', '13812345678#', '']) expect(redactKeypad(digits)).toBe(digits);
  });
});
