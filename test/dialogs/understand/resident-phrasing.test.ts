import { describe, expect, it } from 'vitest';
import { meansThisNumber, parseRelation } from '../../../src/dialogs/answers.js';
import { readActs } from '../../../src/dialogs/understand/acts.js';
import { countHousehold, statesHouseholdTotal } from '../../../src/dialogs/understand/household.js';
import { parseIdNumber } from '../../../src/dialogs/understand/id-number.js';
import { extractName } from '../../../src/dialogs/understand/name.js';
import { normalizeUtterance } from '../../../src/dialogs/understand/normalize.js';
import { parseYesNo } from '../../../src/dialogs/understand/yes-no.js';
import { extractPhone } from '../../../src/dialogs/understand/phone.js';
import { matchPlace } from '../../../src/dialogs/understand/place.js';
import { lanshan } from './lanshan.js';
import { maskPersonalNumbers, parserReadsNumber } from '../../../src/privacy/personal-numbers.js';

// Meanings a blind set (R8/d5) showed the readers missed; each case is one way of saying it.
describe('names spelled out character by character', () => {
  it('reads the name its spelling aids spell, whatever stands before it', () => {
    expect(extractName('写俺爹的名 孟庆山 孟子的孟 庆祝的庆 山水的山', { bareAnswer: true })).toBe('孟庆山');
    expect(extractName('孟子的孟 庆祝的庆 山水的山', { bareAnswer: true })).toBe('孟庆山');
    expect(extractName('王秀兰，秀气的秀，兰花的兰', { bareAnswer: true })).toBe('王秀兰');
    expect(extractName('俺娘', { bareAnswer: true })).toBeUndefined();
  });
});

describe('an ID number with its birth date said as a date', () => {
  it('reads the date as its eight digits, and masks it everywhere', () => {
    const said = '三七幺三零二 一九六二年四月十八号 后头是 幺五三八';
    expect(parseIdNumber(said)).toMatchObject({ ok: true, value: '371302196204181538' });
    expect(parseIdNumber('371302 1962年4月18日 1538')).toMatchObject({ ok: true, value: '371302196204181538' });
    const masked = maskPersonalNumbers(said);
    expect(masked).not.toMatch(/一九六二|四月|十八|幺五三八/);
    expect(parserReadsNumber(masked)).toBe(false);
    // A birth date alone is no ID number and stays as said.
    expect(maskPersonalNumbers('我1962年4月18日出生')).toBe('我1962年4月18日出生');
  });
});

describe('who applies for whom, in family words', () => {
  it('a spouse or any relative saying what they are is a family member', () => {
    for (const t of ['俺是他老婆', '我是他孩子他妈', '我是她姑', '给俺老头子申请的']) expect(parseRelation(t, { bare: true }), t).toBe('家属');
    expect(parseRelation('俺自个儿', { bare: true })).toBe('本人');
  });
});

describe('household size', () => {
  it('from words said by the way only a stated total counts', () => {
    expect(statesHouseholdTotal('俺家一共四口人，日子难')).toBe(true);
    expect(statesHouseholdTotal('孩子留给俺老两口')).toBe(false);
    expect(statesHouseholdTotal('我跟我老婆都下岗了')).toBe(false);
  });
  it('asked for it, the answer first and the story after', () => {
    expect(countHousehold('就俺一个 前天在院里摔了一跤 腿动不了 爬不起来 这两天就喝了点凉水 也没人来')).toBe(1);
  });
});

describe('short answers', () => {
  it('confirming with what is confirmed named first', () => {
    for (const t of ['资料正确', '無誤', '上面写的都对']) expect(parseYesNo(t), t).toBe(true);
  });
  it('"就这个" to "use this number?"', () => {
    for (const t of ['就这个', '这个就行', '就这个号']) expect(meansThisNumber(t), t).toBe(true);
  });
  it('嘞 as the dialect 的: asking for the person in charge', () => {
    expect(readActs(normalizeUtterance('俺要找管事嘞人')).askPerson).toBe(true);
    expect(normalizeUtterance('好嘞')).toBe('好嘞');
  });
});

describe('more of what R8/d5 showed', () => {
  it('a family word says a relation only with whose it is', () => {
    expect(parseRelation('我是单亲妈妈，离婚三年了，我带着俩孩子，想申请', { bare: false })).toBeUndefined();
    expect(parseRelation('我是他闺女，替俺爹申请', { bare: false })).toBe('家属');
  });
  it('"can\'t read it out now" is a don\'t-know', () => {
    expect(readActs(normalizeUtterance('身份证号俺不会念，等俺闺女回来再说')).dontKnow).toBe(true);
  });
  it('a township heard by sound is taken when one of its own villages comes right after it', () => {
    expect(matchPlace('半城 河庄 村西头 挨着河沟那家', lanshan)).toMatchObject({ township: { name: '半程镇' }, village: { name: '河庄村' } });
    expect(matchPlace('早园王庄', lanshan)).toMatchObject({ township: { name: '枣园镇' }, village: { name: '王庄村' } });
    expect(matchPlace('我想办个半城事', lanshan).township).toBeUndefined();
  });
});

describe('corrections and counts inside one answer', () => {
  it('a phone number taken back in the same message: the one after stands', () => {
    expect(extractPhone('打我另一个手机吧 15863147254，哦说错了，最后两位是45，15863147245')).toBe('15863147245');
    expect(extractPhone('我的13812345678，我老伴的13987654321')).toBe('13812345678');
  });
  it('who lives there, each counted once', () => {
    expect(countHousehold('俺两个老的')).toBe(2);
    expect(countHousehold('我自己 还有个外孙跟着我住 上小学')).toBe(2);
  });
});
