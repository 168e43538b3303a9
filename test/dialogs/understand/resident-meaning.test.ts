import { describe, expect, it } from 'vitest';
import { parseRelation } from '../../../src/dialogs/answers.js';
import { countHousehold, extractHouseholdSize, statesHouseholdTotal } from '../../../src/dialogs/understand/household.js';
import { parseIdNumber } from '../../../src/dialogs/understand/id-number.js';
import { extractName } from '../../../src/dialogs/understand/name.js';
import { extractPhone } from '../../../src/dialogs/understand/phone.js';
import { matchPlace } from '../../../src/dialogs/understand/place.js';
import { extractSlots } from '../../../src/dialogs/understand/slots.js';
import { lanshan } from './lanshan.js';

// Meanings a blind set (d7) showed the readers missed; each case is one way of saying it, with the
// sayings that must keep their old reading beside it.
describe('household: who lives there, told as people', () => {
  it('a pronoun with its count says how many live there ("他俩过")', () => {
    expect(countHousehold('我公公婆婆他俩过 我们搬出来好些年了')).toBe(2);
    expect(countHousehold('俺姥姥俺姥爷 他们俩住一块 俺妈在外地打工')).toBe(2);
    expect(countHousehold('她们娘仨一起过')).toBe(3);
    // The speaker "带着" them comes on top; a count after the list sums it up.
    expect(countHousehold('我带着他俩过')).toBe(3);
    expect(countHousehold('俺爹 俺娘 他俩')).toBe(2);
  });
  it('a daughter married away is not of the household; one married in is', () => {
    expect(countHousehold('就我跟老头子俩，大闺女嫁到临沂了')).toBe(2);
    expect(countHousehold('我和儿子，儿媳妇是嫁过来的')).toBe(3);
  });
  it('a head count after "应该是" is the total, said outright', () => {
    expect(statesHouseholdTotal('应该是四口')).toBe(true);
    expect(statesHouseholdTotal('应该是他')).toBe(false);
  });
  it('family members said one after another without a break are each a person', () => {
    expect(countHousehold('我爸我妈')).toBe(2);
    expect(countHousehold('俺奶俺爷 俺们早就分开过了')).toBe(2);
    expect(countHousehold('我婆婆')).toBe(1);
  });
});

describe('household: everyone named once, and only those who live there', () => {
  it('someone said twice, or pointed back to with 他/她, is one person', () => {
    expect(countHousehold('我爹跟着我们住，我、我对象、我闺女，再算上我爹')).toBe(4);
    expect(countHousehold('我跟我老伴 她腿脚不好')).toBe(2);
    expect(countHousehold('我和他')).toBe(2);
  });
  it('"我俩" beside the one named is the two of them; with 还有 or 加 someone comes on top', () => {
    expect(countHousehold('我跟老伴我俩')).toBe(2);
    expect(countHousehold('我和我对象两口子')).toBe(2);
    expect(countHousehold('我俩 再加个外孙女')).toBe(3);
    expect(countHousehold('我们两口子 还有个上高中的丫头')).toBe(3);
  });
  it('someone away or dead is not counted; someone at home is', () => {
    expect(countHousehold('我跟闺女，她爸去年走了')).toBe(2);
    expect(countHousehold('我们两口子，儿子在外地上班')).toBe(2);
    expect(countHousehold('我和老伴，儿子在家带孙子')).toBe(4);
  });
  it('a family within the household counts as the people it has', () => {
    expect(countHousehold('我们老两口，还有闺女一家三口')).toBe(5);
    expect(countHousehold('我们一家三口')).toBe(3);
  });
  it('"二闺女" is the second daughter, "俩闺女" two of them', () => {
    expect(countHousehold('大闺女 二闺女 还有我')).toBe(3);
    expect(countHousehold('俩闺女 还有我')).toBe(3);
    expect(countHousehold('两个闺女和我')).toBe(3);
  });
});

describe('household: what it is now, not what it was', () => {
  it('a total put in the past gives way to the one of now, in either order', () => {
    expect(countHousehold('如今就两口人，俺跟儿子，以前是三口')).toBe(2);
    expect(countHousehold('以前五口人，现在三口')).toBe(3);
    expect(extractHouseholdSize('现在三个人，原先五口人')).toBe(3);
    expect(countHousehold('原来五口人，现在三口人')).toBe(3);
  });
  it('only what it was is no answer; the people of now are read instead', () => {
    expect(countHousehold('原来是四口，老伴前年走了，现在就我跟孙子')).toBeUndefined();
    expect(extractHouseholdSize('原来是四口，老伴前年走了，现在就我跟孙子')).toBe(2);
  });
});

describe('household: asking whether someone counts is no count', () => {
  it('a question back about who counts leaves the answer open', () => {
    expect(countHousehold('俺闺女嫁出去了 户口还在家 算不算')).toBeUndefined();
    expect(countHousehold('老伴住养老院了 也算吗')).toBeUndefined();
  });
  it('a total said beside such a question stands', () => {
    expect(countHousehold('家里四口 孙女也算吗')).toBe(4);
    expect(countHousehold('三口人吧')).toBe(3);
  });
});

describe('household: a correction that is only a head count', () => {
  it('"不对 是四口" states the total, also between pauses on voice', () => {
    for (const t of ['不对 是四口', '不对，五个人', '错了 就俩人']) expect(statesHouseholdTotal(t), t).toBe(true);
    expect(extractHouseholdSize('不对 是四口')).toBe(4);
  });
  it('a count of things or of bites is no total', () => {
    for (const t of ['不对 是四个', '就吃了两口', '我 三个 孩子']) expect(statesHouseholdTotal(t), t).toBe(false);
  });
});

describe('names: "我是X…的" says where from, not who', () => {
  it('a place or workplace after 我是 is no name', () => {
    expect(extractName('你好 我是城北那个纸箱厂的 下岗好几年了')).toBeUndefined();
    expect(extractName('俺是刘庄这家养猪场的')).toBeUndefined();
    expect(extractName('我是刘明家的')).toBeUndefined();
  });
  it('a name after 我是 still stands when the sentence goes on to something else', () => {
    expect(extractName('我是刘桂芳 今年六十八')).toBe('刘桂芳');
    expect(extractName('我是刘桂芳，想问问低保')).toBe('刘桂芳');
    expect(extractName('我是刘桂芳想来问低保的')).toBe('刘桂芳');
  });
});

describe('places: one taken back in the same answer', () => {
  it('the place after "不对" or after moving stands', () => {
    expect(matchPlace('枣园镇王庄村，不对不对，是西鲁村', lanshan)).toMatchObject({ township: { name: '枣园镇' }, village: { name: '西鲁村' } });
    expect(matchPlace('以前在半程镇河庄村，前年搬到枣园镇东鲁村了', lanshan)).toMatchObject({
      township: { name: '枣园镇' },
      village: { name: '东鲁村' },
    });
    expect(matchPlace('金雀山街道，说错了，是向阳街道胜利社区', lanshan)).toMatchObject({ township: { name: '向阳街道' }, village: { name: '胜利社区' } });
  });
  it('a second place said for another reason leaves the first', () => {
    expect(matchPlace('枣园镇东鲁村 挨着王庄村', lanshan)).toMatchObject({ village: { name: '东鲁村' } });
    expect(matchPlace('枣园镇东鲁村，不对，是半程镇', lanshan)).toEqual({ township: { code: 'bancheng', name: '半程镇' } });
  });
});

describe("places: the county's own name", () => {
  it('said short, it is the county, not the township that shares it', () => {
    expect(matchPlace('我在兰山住了一辈子', lanshan)).toEqual({});
    expect(matchPlace('兰山', lanshan)).toEqual({});
  });
  it('with its suffix or one of its own villages it is the township', () => {
    expect(matchPlace('兰山街道', lanshan)).toMatchObject({ township: { name: '兰山街道' } });
    expect(matchPlace('兰山 东关社区', lanshan)).toMatchObject({ township: { name: '兰山街道' }, village: { name: '东关社区' } });
    expect(matchPlace('兰山区枣园镇西鲁村', lanshan)).toMatchObject({ township: { name: '枣园镇' }, village: { name: '西鲁村' } });
  });
});

describe('relation: "myself" beside what the speaker is in the family', () => {
  it('saying it is oneself outweighs a family role that is not his or hers', () => {
    expect(parseRelation('我自己 我是这俩孩子的姥姥', { bare: true })).toBe('本人');
    expect(parseRelation('本人，我是孙子他奶奶', { bare: true })).toBe('本人');
  });
  it('a role towards him or her, or someone applied for, is still family', () => {
    expect(parseRelation('我是他奶奶', { bare: true })).toBe('家属');
    expect(parseRelation('本人，我是他闺女', { bare: true })).toBe('家属');
    expect(parseRelation('我自己 替我娘问问', { bare: true })).toBe('家属');
    expect(parseRelation('我是孩子姥姥', { bare: true })).toBe('家属');
  });
});

describe('relation: a correction that says whose the applicant is', () => {
  it('"申请人是我老伴" makes it a family application, whatever "替他" leaves open', () => {
    expect(parseRelation('申请人是我老伴，我是替他办的，别的没错', { bare: false })).toBe('家属');
    expect(parseRelation('申请人是俺自己', { bare: false })).toBe('本人');
  });
  it('a name or a form of address for the applicant says no relation', () => {
    expect(parseRelation('申请人是王秀英', { bare: false })).toBeUndefined();
    expect(parseRelation('申请人叫李大娘', { bare: false })).toBeUndefined();
  });
});

describe('numbers read out with a hesitation between the groups', () => {
  it('an "嗯" or "呃" between groups does not break the number', () => {
    expect(parseIdNumber('三七幺三洞二 呃 幺九四八 幺幺洞七 嗯 幺幺八叉')).toMatchObject({ ok: true, value: '37130219481107118X' });
    expect(extractPhone('幺五八 嗯 六三幺四 呃 七二五四')).toBe('15863147254');
  });
  it('an ID number read with a hesitation is the ID, not a phone inside it', () => {
    const { slots } = extractSlots('三七幺三洞二 嗯 幺九四八幺幺洞七 幺幺八叉', lanshan);
    expect(slots.idNumber).toBe('37130219481107118X');
    expect(slots.phone).toBeUndefined();
  });
  it('a hesitation before words is no part of a number', () => {
    expect(extractPhone('我七十三了 嗯 家里三口')).toBeUndefined();
  });
});
