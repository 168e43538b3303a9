import { describe, expect, it } from 'vitest';
import { findIdNumber, parseIdNumber } from '../../../src/dialogs/understand/index.js';

describe('findIdNumber', () => {
  it('a number taken back in the same message gives way to the valid one said after it', () => {
    expect(findIdNumber('11010519491231002X 哦说错了 那是我老伴的 我的是440524188001010014')).toMatchObject({ ok: true, value: '440524188001010014' });
    // Two numbers without taking one back: the first stands.
    expect(findIdNumber('11010519491231002X，他的是440524188001010014')).toMatchObject({ ok: true, value: '11010519491231002X' });
  });
});

describe('parseIdNumber', () => {
  it('accepts the GB 11643 reference examples', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({
      ok: true, value: '11010519491231002X', sex: 'female', birthDate: '1949-12-31',
    });
    expect(parseIdNumber('440524188001010014')).toEqual({
      ok: true, value: '440524188001010014', sex: 'male', birthDate: '1880-01-01',
    });
  });

  it('accepts other checksum-valid numbers, including a leap day', () => {
    expect(parseIdNumber('37130219580312002X')).toMatchObject({ ok: true, sex: 'female', birthDate: '1958-03-12' });
    expect(parseIdNumber('371302195803120011')).toMatchObject({ ok: true, sex: 'male', birthDate: '1958-03-12' });
    expect(parseIdNumber('110105194802290021')).toMatchObject({ ok: true, sex: 'female', birthDate: '1948-02-29' });
  });

  it('reads spoken digits, including 幺/两/洞 and 叉/艾克斯 for X', () => {
    expect(parseIdNumber('幺幺零幺零五幺九四九幺二三幺零零二叉')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('幺幺洞幺洞五幺九四九幺两三幺洞洞两艾克斯')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('四四零五二四一八八零零一零一零零一四')).toMatchObject({ ok: true, value: '440524188001010014' });
  });

  it('reads keypad input with * for X, full-width digits, lowercase x, spaces and dashes', () => {
    expect(parseIdNumber('11010519491231002*')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('11010519491231002*#')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('11010519491231002x')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('110105 19491231 002x')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('110105-1949-1231-002X。')).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('reports nothing given', () => {
    expect(parseIdNumber('  ')).toEqual({ ok: false, code: 'empty', message: '没有收到身份证号，请再说一遍' });
  });

  it('reports characters that cannot be in an ID number', () => {
    const chars = { ok: false, code: 'chars', message: '身份证号只能是数字，只有最后一位可能是X，请再核对一下' };
    expect(parseIdNumber('1101A519491231002X')).toEqual(chars);
    expect(parseIdNumber('110105X94912310021')).toEqual(chars);
    expect(parseIdNumber('不知道')).toEqual(chars);
  });

  it('reports the wrong length with the count the resident gave', () => {
    expect(parseIdNumber('11010519491231002')).toEqual({
      ok: false, code: 'length', message: '身份证号应为18位，您输入了17位',
    });
    expect(parseIdNumber('1101051949123100211')).toMatchObject({ code: 'length', message: '身份证号应为18位，您输入了19位' });
  });

  it('reports impossible, future and too early birth dates', () => {
    expect(parseIdNumber('11010519491331002X')).toEqual({
      ok: false, code: 'birthdate', message: '出生日期不对：身份证号第7到14位是19491331，请再核对一下',
    });
    expect(parseIdNumber('110105194902290029')).toMatchObject({ ok: false, code: 'birthdate' });
    expect(parseIdNumber('110105209912310029')).toMatchObject({ ok: false, code: 'birthdate' });
    expect(parseIdNumber('11010518791231002X')).toMatchObject({ ok: false, code: 'birthdate' });
  });

  it('reports a wrong check character', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({
      ok: false, code: 'checksum', message: '身份证号最后一位校验不对，请再核对一下',
    });
    expect(parseIdNumber('371302195803120012')).toMatchObject({ ok: false, code: 'checksum' });
  });
});

describe('findIdNumber', () => {
  it('finds the number inside a sentence', () => {
    expect(findIdNumber('身份证37130219580312002X，家里三口人')).toMatchObject({ ok: true, value: '37130219580312002X' });
    expect(findIdNumber('我的身份證號是 440524 18800101 0014')).toMatchObject({ ok: true, value: '440524188001010014' });
    expect(findIdNumber('身份证号一一零一零五一九四九一二三一零零二叉，住枣园')).toMatchObject({
      ok: true, value: '11010519491231002X',
    });
  });

  it('reports an attempt that went wrong', () => {
    expect(findIdNumber('身份证3713021958031200，家里')).toEqual({
      ok: false, code: 'length', message: '身份证号应为18位，您输入了16位',
    });
    expect(findIdNumber('身份证号110105194912310021')).toMatchObject({ ok: false, code: 'checksum' });
  });

  it('returns undefined when nothing looks like an ID number', () => {
    expect(findIdNumber('我叫王秀英，家里三口人')).toBeUndefined();
    expect(findIdNumber('电话13800138000')).toBeUndefined();
    expect(findIdNumber('我今年78岁，住3组12号')).toBeUndefined();
    expect(findIdNumber('两个电话 13800138000 13900139000')).toBeUndefined();
  });

  it('picks the ID number out of numbers typed together', () => {
    expect(findIdNumber('13800138000 440524188001010014')).toMatchObject({ ok: true, value: '440524188001010014' });
    expect(findIdNumber('440524188001010014一家五口')).toMatchObject({ ok: true, value: '440524188001010014' });
  });
});
