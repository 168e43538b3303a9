import { describe, expect, it } from 'vitest';
import { readActs } from '../../../src/dialogs/understand/acts.js';
import { countHousehold } from '../../../src/dialogs/understand/household.js';
import { locateName } from '../../../src/dialogs/understand/name.js';
import { parseYesNo } from '../../../src/dialogs/understand/yes-no.js';
import { matchPlace } from '../../../src/dialogs/understand/place.js';
import { consentIn, meansThisNumber, parseRelation, trackingNumberIn } from '../../../src/dialogs/answers.js';
import { lanshan } from './lanshan.js';

describe('readActs', () => {
  it('asking for a person in ordinary words, not a mention of people', () => {
    for (const t of ['找个真人', '我要跟人说话', '转人工', '让工作人员来接', '找人']) expect(readActs(t).askPerson, t).toBe(true);
    for (const t of ['我一个人住', '不用找人工', '你是真人吗', '家里三个人']) expect(readActs(t).askPerson, t).toBe(false);
    expect(readActs('听不懂你说啥').notUnderstood).toBe(true);
    // A person asked for, with whom to speak said between ("找个人跟我讲讲").
    for (const t of ['找个人跟我讲讲', '叫个人和俺说说']) expect(readActs(t).askPerson, t).toBe(true);
    // Someone else's speech or skill is not the resident lost with the bot.
    for (const t of ['那老人说话听不懂 是外地口音', '俺娘本人不会用手机，俺替她问']) expect(readActs(t).notUnderstood, t).toBe(false);
    for (const t of ['你说话俺听不明白', '听不懂']) expect(readActs(t).notUnderstood, t).toBe(true);
  });

  it('a question back, by its form and its topic; statements with question words are not questions', () => {
    expect(readActs('得准备些啥证件？').question).toBe('documents');
    expect(readActs('啥时候能有信儿').question).toBe('timing');
    expect(readActs('你是机器人吗').question).toBe('robot');
    expect(readActs('要交钱吗').question).toBe('cost');
    for (const t of ['中，查吧，俺家也没啥', '我家没什么收入', '俺叫王秀兰']) expect(readActs(t).question, t).toBeUndefined();
  });

  it('not knowing or not having it at hand', () => {
    for (const t of ['记不清了', '身份证没在手边', '没带在身上', '不知道']) expect(readActs(t).dontKnow, t).toBe(true);
    expect(readActs('371302195001010012').dontKnow).toBe(false);
  });

  it('safe tonight, said in other words', () => {
    for (const t of ['吃住都还行', '没事', '暂时没问题，村里照看着']) expect(readActs(t).safeNow, t).toBe(true);
  });
});

describe('answers in residents’ words', () => {
  it('household counted from who lives there; a stated total wins', () => {
    const cases: Array<[string, number]> = [
      ['就他一个人 没成过家', 1],
      ['俺娘自个儿住', 1],
      ['我爸我妈两个人住', 2],
      ['孩子跟他爷爷过 爷孙俩', 2],
      ['俺 俺闺女 俺婆婆', 3],
      ['我、孩子他爸、俩孩子', 4],
      ['我跟老伴带着孙女', 3],
      ['一个人带两个娃', 3],
      ['俺两口子带俩孩子 还有俺娘', 5],
      ['三口，老两口加孙子', 3],
      ['俺公公跟俺们住 俺两口子 俺公公 俺儿 四口', 4],
    ];
    for (const [t, n] of cases) expect(countHousehold(t), t).toBe(n);
  });

  it('names after kin words belong to someone else; 我叫 is the speaker', () => {
    expect(locateName('俺娘叫王秀兰')).toMatchObject({ value: '王秀兰', of: 'other' });
    expect(locateName('俺老头子叫王玉田')).toMatchObject({ value: '王玉田', of: 'other' });
    expect(locateName('俺是她儿子，俺叫赵敬国')).toMatchObject({ value: '赵敬国', of: 'speaker' });
    expect(locateName('我姓王，王秀兰')).toMatchObject({ value: '王秀兰', of: 'speaker' });
  });

  it('who applies: oneself in dialect, kin, a cadre saying what they are', () => {
    expect(parseRelation('俺自个儿', { bare: true })).toBe('本人');
    expect(parseRelation('给俺自个儿办', { bare: true })).toBe('本人');
    expect(parseRelation('替俺爹申请，我是他儿', { bare: true })).toBe('家属');
    expect(parseRelation('俺是村书记 替孩子申请', { bare: true })).toBe('村干部');
    expect(parseRelation('我是网格员，不是家属', { bare: true })).toBe('村干部');
  });

  it('yes in colloquial forms and voice spacing', () => {
    for (const t of ['没错儿', '对着哩', '这回没错儿', '中 你们查吧', '是这么回事', '嗯呐']) expect(parseYesNo(t), t).toBe(true);
    expect(parseYesNo('那不行')).toBe(false);
  });

  it('consent in the words people use; a refusal wins', () => {
    for (const t of ['可以的', '查吧 俺不怕查', '我问过她了，她说中', '中，你们查吧', '同意']) expect(consentIn(t), t).toBe(true);
    for (const t of ['不同意', '那不行', '别查了']) expect(consentIn(t), t).toBe(false);
    // A check said not to be wanted, whoever would do it, is a refusal though it says "你们查".
    for (const t of ['不用你们来查，丢人', '甭查了 俺家啥也没有', '用不着政府核实']) expect(consentIn(t), t).toBe(false);
  });

  it('"this number" in many words', () => {
    for (const t of ['就这个号', '打俺这个手机就行', '打我这个', '用现在这个电话']) expect(meansThisNumber(t), t).toBe(true);
    // This handset, or the caller's own number when the applicant has none.
    for (const t of ['本机', '用本机号码', '他没有手机 打我的', '就打俺的吧']) expect(meansThisNumber(t), t).toBe(true);
    expect(meansThisNumber('13812345678')).toBe(false);
    expect(meansThisNumber('打俺闺女的')).toBe(false);
  });

  it('places misheard by a recogniser are matched by sound, ordinary words are not places', () => {
    expect(matchPlace('早园镇 西路村', lanshan)).toMatchObject({ township: { name: '枣园镇' }, village: { name: '西鲁村' } });
    expect(matchPlace('半成镇河庄', lanshan)).toMatchObject({ township: { name: '半程镇' } });
    expect(matchPlace('我跑了一趟民政局', lanshan)).toEqual({});
  });

  it('tracking numbers in the one issued format, however they are written', () => {
    for (const t of ['202612070001', '2026 1207 0001', '2026-1207-0001', '单号是二零二六一二零七零零零一']) expect(trackingNumberIn(t), t).toBe('202612070001');
    expect(trackingNumberIn('371302195001010012')).toBeUndefined();
  });
});
