import { describe, expect, it } from 'vitest';
import { combine, readByRules } from '../../src/routing/classify.js';
import { leadCandidates, leadRanking, rankLead, trainLead } from '../../src/routing/lead.js';
import { shippedModel } from '../../src/routing/model/model.js';

const model = shippedModel();
const read = (text: string) => {
  const reading = readByRules(text);
  return { reading, prediction: model.predict(text, reading.input) };
};

describe('the lead ranker', () => {
  it('ships with the model and scores at inference exactly as training sees the features', () => {
    expect(model.lead).toBeDefined();
    for (const text of ['我老公现在在打我', '俺家地保今年咋没发了', '我失业半年了，房东让我月底搬走，我想找个活干', '你好']) {
      const { reading, prediction } = read(text);
      const fast = leadRanking(reading, prediction, model.lead ?? {});
      const slow = rankLead(leadCandidates(reading, prediction), model.lead ?? {});
      expect(fast.map((r) => r.code)).toEqual(slow.map((r) => r.code));
      fast.forEach((r, i) => expect(r.p).toBeCloseTo(slow[i]?.p ?? -1, 12));
    }
  });

  it('crosses every category with whose need it is: the traits, the situations and who they are about', () => {
    const { reading, prediction } = read('我是高三的，我现在坐在宿舍楼天台边上，不想下去了');
    const youth = leadCandidates(reading, prediction).find((c) => c.code === 'youth');
    expect(youth?.features.get('trait:youth>youth')).toBe(1);
    expect(youth?.features.get('state:self_harm+youth>youth')).toBe(1);
    expect(youth?.features.get('owned')).toBe(1);
  });

  it('learns, deterministically, which category leads when the model and the rules disagree', () => {
    const examples = ['我想申请低保，家里老人住院了', '想办低保，孩子上学钱不够', '低保怎么申请，老伴看病花了好多'].map((text) => {
      const { reading, prediction } = read(text);
      return { candidates: leadCandidates(reading, prediction), gold: 'minimum_living' as const };
    });
    const w = trainLead(examples, { iterations: 200, learningRate: 0.5, l2: 0.01, baseL2: 0.001 });
    expect(trainLead(examples, { iterations: 200, learningRate: 0.5, l2: 0.01, baseL2: 0.001 })).toEqual(w);
    expect(w['>minimum_living']).toBeGreaterThan(0);
  });

  it('names no lead for a greeting, and a lead for a situation told without any category word', () => {
    const hello = read('你好');
    expect(combine(hello.reading, hello.prediction, model).categories).toEqual([]);
    const told = read('我怀着孕，他推了我一把，我肚子撞到桌角上了，现在一直疼');
    expect(combine(told.reading, told.prediction, model).categories.length).toBeGreaterThan(0);
  });
});
