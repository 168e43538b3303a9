import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvalLines } from '../../src/routing/eval.js';
import type { RoutingModel } from '../../src/routing/model/model.js';
import type { RuleUrgency } from '../../src/routing/types.js';
import { assessUrgency, decideUrgency, type Thresholds } from '../../src/routing/urgency.js';

/** A model that answers one urgency probability whatever it reads, with fixed thresholds. */
const modelSaying = (urgentP: number, thresholds: Partial<RoutingModel['thresholds']> = {}): RoutingModel => ({
  thresholds: { urgent: 0.5, ask: 0.2, demote: 0.05, doubt: 0.1, blend: 0.5, ...thresholds },
  predict: () => ({ ranked: [{ code: 'temporary', p: 1 }], urgentP }),
  urgentP: () => urgentP,
});

const T: Thresholds = { urgent: 0.5, ask: 0.2, demote: 0.05, doubt: 0.1 };
const calm: RuleUrgency = { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, doubtful: [] };
const fire: RuleUrgency = { urgent: true, reason: '火情：家里着火了（现在），提醒拨打119', signals: ['fire'], lifeDanger: true, mentalHealth: false, doubtful: [] };
const doubt: RuleUrgency = { ...calm, doubtful: ['self_harm'], doubtReason: '拿不准是否有轻生或自伤的话：我说不想活了那是气话（本人说是气话或误会）' };

describe('decideUrgency: the frames and the model vote', () => {
  it('flags a state that holds now', () => {
    expect(decideUrgency(fire, 0.3, T, true)).toMatchObject({ urgent: true, unsure: false, lifeDanger: true, signals: ['fire'] });
  });

  it('lets a confident model demote a rule flag to the ask band, never to silence', () => {
    const a = decideUrgency(fire, 0.01, T, true);
    expect(a).toMatchObject({ urgent: false, unsure: true, signals: ['fire'] });
    expect(a.reason).toMatch(/^火情：家里着火了.*请先问一句确认是否安全$/);
  });

  it('lets the model alone flag when enough was said', () => {
    const a = decideUrgency(calm, 0.8, T, true);
    expect(a).toMatchObject({ urgent: true, unsure: false });
    expect(a.reason).toMatch(/模型把握80%/);
    expect(decideUrgency(calm, 0.8, T, false)).toMatchObject({ urgent: false, unsure: false });
  });

  it('asks about a doubtful reading unless the model is sure nothing is wrong', () => {
    expect(decideUrgency(doubt, 0.15, T, true)).toMatchObject({ urgent: false, unsure: true, reason: doubt.doubtReason, signals: ['self_harm'] });
    expect(decideUrgency(doubt, 0.05, T, true)).toMatchObject({ urgent: false, unsure: false });
  });

  it('asks when the model alone is unsure, and stays quiet below the ask band', () => {
    expect(decideUrgency(calm, 0.3, T, true)).toMatchObject({ urgent: false, unsure: true });
    expect(decideUrgency(calm, 0.1, T, true)).toEqual({ urgent: false, unsure: false, signals: [], lifeDanger: false, mentalHealth: false });
  });
});

describe('assessUrgency: the per-turn check', () => {
  it('answers the Urgency shape plus unsure', () => {
    const a = assessUrgency('家里着火了，老人被困在屋里', modelSaying(0.9));
    expect(a).toMatchObject({ urgent: true, unsure: false, lifeDanger: true, mentalHealth: false });
    expect(a.signals).toEqual(['fire', 'trapped']);
  });

  it('puts a case in the ask band: not flagged, not clearly safe', () => {
    const text = '有个姑娘在我们店门口蹲了一个多小时了，问她啥也不说，就一直在那发抖';
    expect(assessUrgency(text, modelSaying(0.3))).toMatchObject({ urgent: false, unsure: true });
    expect(assessUrgency(text, modelSaying(0.01))).toMatchObject({ urgent: false, unsure: false });
  });

  it('never asks about an answer to a form question, however the model leans', () => {
    for (const text of ['枣园镇东鲁村', '我叫王秀英', '身份证号11010519491231002X', '家里四口人', '是的']) {
      expect(assessUrgency(text, modelSaying(0.45)), text).toMatchObject({ urgent: false, unsure: false });
    }
  });

  it('with the shipped model, keeps ordinary dialog answers calm and flags plain danger', () => {
    for (const text of ['枣园镇东鲁村', '记不清了，身份证没带在身上', '家里一共三口人', '我想申请低保，需要带什么材料']) {
      expect(assessUrgency(text), text).toMatchObject({ urgent: false, unsure: false });
    }
    expect(assessUrgency('我男人正在打我，我躲在厕所里').urgent).toBe(true);
    expect(assessUrgency('我不想活了').mentalHealth).toBe(true);
  });

  it('never throws on bad input', () => {
    for (const text of ['', '   ', '😀😀😀', 'x'.repeat(10_000), '俺家 house 燒了 🔥 help', '\u0000\u200b', 'مرحبا 你好 Привет']) {
      const a = assessUrgency(text);
      expect(typeof a.urgent, text).toBe('boolean');
      expect(typeof a.unsure, text).toBe('boolean');
    }
    expect(assessUrgency('')).toEqual({ urgent: false, unsure: false, signals: [], lifeDanger: false, mentalHealth: false });
  });

  it('is fast enough to run on every message', () => {
    const texts = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/dev.jsonl', import.meta.url), 'utf8')).map((l) => l.text);
    for (const t of texts.slice(0, 50)) assessUrgency(t);
    const started = performance.now();
    for (const t of texts) assessUrgency(t);
    // Generous for a shared CI machine; bench/classify measures the real figure (≥ 5,000 texts/s).
    expect((performance.now() - started) / texts.length).toBeLessThan(5);
  });
});
