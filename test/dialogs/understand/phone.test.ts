import { describe, expect, it } from 'vitest';
import { extractPhone } from '../../../src/dialogs/understand/index.js';

describe('extractPhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['1380 0138 000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['008613800138000', '13800138000'],
    ['手机：１３８００１３８０００', '13800138000'],
    ['我电话是幺三八零零幺三八零零零', '13800138000'],
    ['一九九 八七六五 四三二一', '19987654321'],
    ['0539-1234567', '05391234567'],
    ['(0539)1234567', '05391234567'],
    ['座机０５３９　１２３４５６７', '05391234567'],
    ['010-12345678', '01012345678'],
    ['有事打我儿子电话15912345678，谢谢', '15912345678'],
  ])('%s → %s', (text, phone) => {
    expect(extractPhone(text)).toBe(phone);
  });

  it('takes the first of several numbers', () => {
    expect(extractPhone('座机0539 1234567，手机13800138000')).toBe('05391234567');
    expect(extractPhone('13800138000 13900139000')).toBe('13800138000');
  });

  it('does not read a phone out of an ID number', () => {
    expect(extractPhone('身份证130102195803120015')).toBeUndefined();
    expect(extractPhone('身份证130102 19580312 0015')).toBeUndefined();
    expect(extractPhone('身份证1301021958031200')).toBeUndefined();
    expect(extractPhone('身份证130102195803120015 电话13800138000')).toBe('13800138000');
  });

  it.each(['1380013800', '12345678901', '1234567', '家里三口人', '我今年七十八'])('%s has no phone', (text) => {
    expect(extractPhone(text)).toBeUndefined();
  });
});
