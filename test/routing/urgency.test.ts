import { describe, expect, it } from 'vitest';
import { assessUrgency, detectUrgency } from '../../src/routing/urgency.js';

describe('detectUrgency: signals', () => {
  const cases: [string, string][] = [
    ['我不想活了，活着太累', 'self_harm'],
    ['他说要喝农药', 'self_harm'],
    ['我男人正在打我', 'violence'],
    ['邻居家孩子一个人在家两天了', 'alone'],
    ['隔壁老太太瘫在床上没人照顾', 'alone'],
    ['两天没吃东西了', 'no_food'],
    ['被房东赶出来了，今晚没地方住', 'no_shelter'],
    ['天太冷了，屋里没暖气', 'cold'],
    ['下大雨屋里进水了，水还在往上涨', 'flood'],
    ['家里着火了', 'fire'],
    ['厨房一股煤气味', 'gas'],
    ['房子塌了', 'collapse'],
    ['有人被困在里面', 'trapped'],
    ['俺爹晕倒了，叫不醒', 'acute_illness'],
    ['老伴癌症晚期，没钱治，在家躺着', 'untreated_illness'],
  ];
  for (const [text, signal] of cases) {
    it(`flags ${signal}: ${text}`, () => {
      const result = detectUrgency(text);
      expect(result.urgent).toBe(true);
      expect(result.signals).toContain(signal);
      // A plain sentence quoting what was said, not a list of matched words.
      expect(result.reason).toMatch(/：.+（(现在|持续中|刚发生|不久前|没说时间)）/);
      expect(result.reason).not.toMatch(/命中/);
    });
  }

  it('leaves a cue without its context to the model: 进水了 alone does not say it is still rising', () => {
    expect(detectUrgency('下大雨屋里进水了').urgent).toBe(false);
    expect(assessUrgency('下大雨屋里进水了').urgent || assessUrgency('下大雨屋里进水了').unsure).toBe(true);
  });

  it('marks self-harm as mental health and points to 12356', () => {
    const result = detectUrgency('真想一死了之');
    expect(result.mentalHealth).toBe(true);
    expect(result.lifeDanger).toBe(false);
    expect(result.reason).toContain('12356');
  });

  it('marks fire as life danger and tells to ring 119', () => {
    const result = detectUrgency('俺家柴房着火了');
    expect(result.lifeDanger).toBe(true);
    expect(result.reason).toBe('火情：俺家柴房着火了（没说时间），提醒拨打119');
  });

  it('reads traditional characters', () => {
    expect(detectUrgency('我現在很想死').signals).toEqual(['self_harm']);
  });
});

describe('detectUrgency: negation, past and harmless look-alikes', () => {
  const calm = [
    '我不是想死，就是想问问低保',
    '家里没有着火，问问受灾补助',
    '房子没塌，就是漏雨',
    '他没打我，就是不给生活费',
    '我从来没想过寻短见',
    '上个月家里着了火，现在房子修好了',
    '前几年被家暴离了婚，现在想问问补助',
    '我八十了，一个人住，想问问高龄补贴',
    '想打电话问问进度',
    '银行卡被冻结了',
    '燃气费交不起了',
    '孩子睡着了，我出来打个电话',
    '癌症化疗的费用能报多少',
    '俺男人在外面打零工，想问问低保',
    '我家暴雨天屋顶漏，想修修',
    '没有人打我，想问问妇联的培训',
  ];
  for (const text of calm) {
    it(`does not flag: ${text}`, () => {
      expect(detectUrgency(text)).toEqual({ urgent: false, signals: [], lifeDanger: false, mentalHealth: false });
    });
  }
});

describe('detectUrgency: when unsure, flag', () => {
  it('flags a danger word asked about, marked 疑似', () => {
    const result = detectUrgency('是不是着火了？');
    expect(result.urgent).toBe(true);
    expect(result.reason).toMatch(/^疑似火情/);
  });

  it('flags "有没有" questions', () => {
    expect(detectUrgency('不知道里面有没有人被困').urgent).toBe(true);
  });

  it('flags hedged reports', () => {
    const result = detectUrgency('好像有人在打孩子');
    expect(result.urgent).toBe(true);
    expect(result.reason).toMatch(/疑似正在发生暴力/);
  });

  it('does not take "过去" (go over) as past', () => {
    expect(detectUrgency('我过去看看，好像着火了').signals).toEqual(['fire']);
  });

  it('flags weariness of life said loosely', () => {
    expect(detectUrgency('这辈子活得太累了，没盼头').signals).toEqual(['self_harm']);
  });

  it('flags despair that may be suicidal or may be hardship', () => {
    expect(detectUrgency('活不下去了').signals).toEqual(['self_harm']);
  });

  it('keeps a plain mention even when the same word was also hedged', () => {
    expect(detectUrgency('好像着火了。着火了！').reason).toMatch(/^火情/);
  });
});

describe('a long story read part by part', () => {
  it('a danger told at the end of a long, calm story reaches a person (flagged, or the safety question)', () => {
    const story =
      '恁好，俺是马厂湖那边的，俺想咨询个事儿。俺家是低保户，俺男人前年出车祸腿瘸了，现在在家待着，俺在外头给人家干钟点工。' +
      '俺们家那个煤气灶是用了好多年的老灶，打火老打不着，俺想问问你们这有没有那种给困难户换灶具的。' +
      '俺刚下班回来，一开门屋里一股煤气味，俺男人在沙发上睡着了，俺叫了两声他也没醒过来。';
    const a = assessUrgency(story);
    expect(a.urgent || a.unsure).toBe(true);
  });

  it('prevention is not the event: a 防走失 bracelet is no one missing', () => {
    expect(detectUrgency('我爸之前走丢过一次，后来找回来了，现在天天在家有人看着。想问有没有防走失的手环发').signals).not.toContain('missing');
  });

  it('settling one\'s affairs and not wanting to be a burden is read as self-harm', () => {
    const a = assessUrgency('我今年二十二，工作找不着，跟家里也闹翻了。手机和存的那点钱都转给我妹了，衣服也送人了，以后就不麻烦谁了。');
    expect(a.urgent || a.unsure).toBe(true);
    expect(a.signals.includes('self_harm') || a.unsure).toBe(true);
  });
});
