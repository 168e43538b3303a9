import { describe, expect, it } from 'vitest';
import { consentIn, parseRelation } from '../../../src/dialogs/answers.js';
import { asksToRepeat, readActs } from '../../../src/dialogs/understand/acts.js';
import { countHousehold } from '../../../src/dialogs/understand/household.js';
import { findIdNumber, parseIdNumber } from '../../../src/dialogs/understand/id-number.js';
import { extractPhone } from '../../../src/dialogs/understand/phone.js';

// Meanings a blind set (d11) showed the readers missed; each case is one way of saying it, with the sayings that must
// keep their old reading beside it.
describe('household: how people say who lives with them', () => {
  it('a couple and others counted in the same breath are all of them', () => {
    expect(countHousehold('我们两口子仨孩子')).toBe(5);
    expect(countHousehold('俺老两口俩孙女')).toBe(4);
    expect(countHousehold('他家老两口俩孙子')).toBe(4);
    expect(countHousehold('俺两口子')).toBe(2);
  });
  it('any family word can be counted ("俩侄女")', () => {
    expect(countHousehold('我和俩外甥')).toBe(3);
    expect(countHousehold('俺娘，俩侄女')).toBe(3);
  });
  it('a long answer whose clauses carry the list on is read whole; the story after it is not', () => {
    expect(countHousehold('我爹跟我大哥大嫂住一块，还有他们俩闺女在镇上念书，我在外地打工不算')).toBe(5);
    expect(countHousehold('婆婆和我们两口子一块过日子，再就是俩孩子，公公前年没了')).toBe(5);
    expect(countHousehold('我和老伴俩人，去年秋天老伴摔了一跤，闺女从城里回来照顾了一个月')).toBe(2);
    expect(countHousehold('我和俩孩子。说实话家里一分钱都没了，房东说明天就得搬走')).toBe(3);
  });
  it('"我" as the owner of something is nobody living there; said as the answer it is the speaker alone', () => {
    expect(countHousehold('记一下我手机号 13912345678')).toBeUndefined();
    expect(countHousehold('我的情况村里都知道')).toBeUndefined();
    expect(countHousehold('就我')).toBe(1);
    expect(countHousehold('只有俺自个儿')).toBe(1);
    expect(countHousehold('嗯？就俺一个，老头子走得早')).toBe(1);
  });
});

describe('relation: what the speaker is, not where they are from', () => {
  it('a teacher or a doctor applying for someone is "其他", not a village 主任', () => {
    expect(parseRelation('我是她的班主任老师', { bare: true })).toBe('其他');
    expect(parseRelation('俺是孩子学校的校长', { bare: true })).toBe('其他');
    expect(parseRelation('我是镇卫生院的大夫，替病人问问', { bare: false })).toBe('其他');
    expect(parseRelation('我是村主任', { bare: true })).toBe('村干部');
  });
  it('a named village or community says where one lives; "社区的" and "东鲁村的支书" still say a role', () => {
    expect(parseRelation('我是义堂镇北湖村的', { bare: true })).toBeUndefined();
    expect(parseRelation('俺住金雀山街道那边', { bare: true })).toBeUndefined();
    expect(parseRelation('俺是东鲁村的支书', { bare: true })).toBe('村干部');
    expect(parseRelation('我是社区的', { bare: true })).toBe('村干部');
    expect(parseRelation('俺是村里的干部', { bare: true })).toBe('村干部');
  });
});

describe('consent: agreeing grudgingly or in part', () => {
  it('"查呗", "你们查去吧", "查他的可以" allow the check, whatever follows', () => {
    for (const t of ['查呗，反正也没啥', '你们查去吧，俺家就两间破房', '查我的可以，我儿子的我说了不算', '查就查呗，一分钱存款没有', '要查就查'])
      expect(consentIn(t), t).toBe(true);
  });
  it('"没有" said of the money is no refusal; a refusal or a question still reads as before', () => {
    expect(consentIn('存款一分也没有')).toBeUndefined();
    expect(consentIn('为啥要查我家收入？')).toBeUndefined();
    expect(consentIn('查银行流水那种？')).toBeUndefined();
    expect(consentIn('别查了，俺不愿意')).toBe(false);
    expect(consentIn('没有')).toBe(false);
  });
});

describe('ID number: the last character named apart', () => {
  it('"最后一位是叉" after seventeen digits is the X', () => {
    expect(findIdNumber('三七幺三洞二幺九五五洞八洞九幺洞六，最后一位是叉')).toMatchObject({ ok: true, value: '37130219550809106X' });
    expect(parseIdNumber('371302 19550809 106 末位是X')).toMatchObject({ ok: true, value: '37130219550809106X' });
    expect(parseIdNumber('三七一三零二一九五五零八零九一零六 最后那个是个叉')).toMatchObject({ ok: true, value: '37130219550809106X' });
  });
  it('said again after all eighteen it changes nothing; without it seventeen are still too few', () => {
    expect(parseIdNumber('37130219550809106X，最后一位是叉')).toMatchObject({ ok: true, value: '37130219550809106X' });
    expect(parseIdNumber('37130219550809106')).toMatchObject({ ok: false, code: 'length' });
  });
});

describe('phone: a number read in groups with pauses written as commas', () => {
  it('short groups across commas make one number', () => {
    expect(extractPhone('我念一下：幺三九，幺二三四，五六七八')).toBe('13912345678');
    expect(extractPhone('打我的吧 一五八，六三幺四，七二五四')).toBe('15863147254');
  });
  it('an ID number beside it stays out, and a number found without the commas wins', () => {
    expect(extractPhone('身份证号371302195508091060，电话没有')).toBeUndefined();
    expect(extractPhone('13912345678，一三八，一二三四，五六七八')).toBe('13912345678');
  });
});

describe('acts: declining to say, and not catching the question', () => {
  it('declining to tell leaves the item for the call-back, like not knowing', () => {
    for (const t of ['这个号不能随便说', '不想说', '俺不说，让村里给你们']) expect(readActs(t).dontKnow, t).toBe(true);
  });
  it('"啥？", "你说啥？" ask for the question again; a question of one\'s own or a hesitation does not', () => {
    for (const t of ['啥？', '你说啥？', '啊？你说慢点', '啥关系？', '没听清']) expect(asksToRepeat(t), t).toBe(true);
    for (const t of ['啥时候办好？', '什么证件？', '啥也没有', '嗯', '王秀英', '查这个干啥？']) expect(asksToRepeat(t), t).toBe(false);
  });
});

describe('"don\'t know" is the resident\'s own', () => {
  it('someone else not knowing is part of an answer ("他不知道这里"), not a don\'t-know', () => {
    expect(readActs('现在安全，我在朋友家，他不知道这里').dontKnow).toBe(false);
    expect(readActs('人家都不知道俺住哪').dontKnow).toBe(false);
    expect(readActs('不知道').dontKnow).toBe(true);
    expect(readActs('俺也不知道').dontKnow).toBe(true);
  });
});
