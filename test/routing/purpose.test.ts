import { describe, expect, it } from 'vitest';
import { classify } from '../../src/routing/classify.js';

describe('a message that asks for no assistance', () => {
  const none: [string, RegExp][] = [
    ['上个月你们帮俺家申请的临时救助到了，特地打电话谢谢', /致谢/],
    ['你们这热线老占线，打了半天打不进来', /热线或工作人员/],
    ['上回来俺家的那个工作人员态度不好，俺就想说一声', /热线或工作人员/],
    ['我们公司想给低保户捐一批米面，跟谁联系', /捐助/],
    ['俺们村想组织几个年轻人当志愿者，去敬老院帮着打扫卫生，咋报名', /报名参加活动/],
  ];
  for (const [text, reason] of none) {
    it(`is read as such, with no alarm: ${text}`, () => {
      const c = classify(text);
      expect(c.noNeed).toMatch(reason);
      expect(c.urgent).toBe(false);
    });
  }

  it('keeps the category it concerns beside the reading (the agency thanked, the one an offer is for)', () => {
    expect(classify('我们公司想给低保户捐一批米面，跟谁联系').categories[0]?.code).toBe('minimum_living');
  });

  const needs = [
    // A thank-you with a new need is a need.
    '谢谢你们上次帮忙，俺娘现在又住院了，想申请医疗救助',
    // Hiring words from someone not an organisation: a job seeker.
    '公益岗位还招人吗，俺想干',
    // An organisation raising money for someone ill asks for help.
    '我们单位有个职工得了白血病，单位想组织捐款，能不能帮着申请大病救助',
  ];
  for (const text of needs) {
    it(`is not said of a need: ${text}`, () => {
      const c = classify(text);
      expect(c.noNeed).toBeUndefined();
      expect(c.categories.length).toBeGreaterThan(0);
    });
  }

  it('is not said of a farewell told as thanks: it is flagged or asked about', () => {
    for (const text of ['谢谢你们这些年照顾，俺把药都攒好了，以后不麻烦你们了', '这个号是我最后打的一个了，不想再给谁添麻烦，谢谢你们听我说']) {
      const c = classify(text);
      expect(c.noNeed, text).toBeUndefined();
      expect(c.urgent || c.urgencyUnsure, text).toBe(true);
    }
  });
});

describe('a danger the resident takes back', () => {
  it('is asked about, not flagged on a model that is unsure', () => {
    const c = classify('我说想死那是气话，别当真，就是想问问低保的事');
    expect(c.urgent).toBe(false);
    expect(c.urgencyUnsure).toBe(true);
  });

  it('is still flagged when the take-back is denied ("不是气话") or the model is sure of a farewell', () => {
    expect(classify('我刚才说不想活那不是气话，我是真撑不住了').urgent).toBe(true);
    expect(classify('其实问了也没用，我这病好不了，活着净拖累家里，药我都攒下了，不想再给闺女添麻烦了').urgent).toBe(true);
  });
});
