import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, classifyByRules } from '../../src/routing/classify.js';
import { evaluate, parseEvalLines } from '../../src/routing/eval.js';
import { features } from '../../src/routing/model/features.js';
import { loadModel, ModelFile } from '../../src/routing/model/model.js';
import { train } from '../../src/routing/model/train.js';

const THRESHOLDS = { urgent: 0.5, ask: 0.2, demote: 0.05, doubt: 0.1, blend: 0.5 };

describe('features', () => {
  it('gives a recogniser homophone the same pinyin grams as the word it stands for', () => {
    const heard = [...features('俺想办个地保')];
    const meant = [...features('俺想办个低保')];
    expect(heard).toContain('pdi_bao');
    expect(meant).toContain('pdi_bao');
    expect(heard).not.toContain('c低保');
  });

  it('reads traditional and full-width text as simplified', () => {
    expect([...features('醫療費')]).toContain('c医疗费');
    expect([...features('ＡＢ')]).toContain('cab');
  });

  it('reads words and situation frames, not only characters', () => {
    const f = [...features('俺男人在外面打工')];
    expect(f).toContain('w打工');
    expect(f).not.toContain('w打');
    const fire = [...features('去年家里着了火，早修好了')];
    expect(fire).toContain('ffire:dropped:resolved');
    expect(fire).toContain('tpast');
  });
});

describe('train and predict', () => {
  const lines = [
    { text: '住院费交不起', expect: ['medical'], urgent: false },
    { text: '看病的钱没有', expect: ['medical'], urgent: false },
    { text: '房子塌了没处住', expect: ['housing'], urgent: true },
    { text: '房子漏雨成危房', expect: ['housing'], urgent: false },
  ];

  it('learns its lines, survives the round trip through the committed format, and is deterministic', () => {
    const file = ModelFile.parse(JSON.parse(JSON.stringify(train(lines, THRESHOLDS, { epochs: 40, learningRate: 0.5, l2: 0, minDocs: 1, seed: 1 }))));
    const again = train(lines, THRESHOLDS, { epochs: 40, learningRate: 0.5, l2: 0, minDocs: 1, seed: 1 });
    expect(again.weights).toBe(file.weights);
    const model = loadModel(file);
    expect(model.predict('住院费交不起').ranked[0]?.code).toBe('medical');
    expect(model.predict('房子塌了没处住').ranked[0]?.code).toBe('housing');
    expect(model.predict('房子塌了没处住').urgentP).toBeGreaterThan(model.predict('看病的钱没有').urgentP);
  });

  it('refuses weights that do not match the vocabulary', () => {
    const file = train(lines, THRESHOLDS);
    expect(() => loadModel({ ...file, vocabulary: [...file.vocabulary, 'cextra'] })).toThrow(/do not match/);
  });
});

describe('classify with the shipped model', () => {
  it('gives every kind of bad input a defined answer', () => {
    for (const text of ['', '   ', '😀😀😀', 'x'.repeat(10_000), '俺家 house 燒了 🔥 help', '\u0000\u200b']) {
      const c = classify(text);
      expect(Array.isArray(c.categories)).toBe(true);
      expect(typeof c.urgent).toBe('boolean');
    }
  });

  it('never silences a rule flag: the model may only demote it to the ask band', () => {
    for (const text of ['我不想活了', '家里着火了，老人被困', '他正在打我']) {
      expect(classifyByRules(text).urgent).toBe(true);
      const c = classify(text);
      expect(c.urgent || c.urgencyUnsure).toBe(true);
    }
    // These plain ones the model agrees with.
    expect(classify('家里着火了，老人被困').urgent).toBe(true);
  });

  it('says why in a plain sentence when the model raised urgency', () => {
    const c = classify('俺爹早上在院里摔了一跤，到现在还起不来，俺在外地打工回不去');
    if (c.urgent && !classifyByRules('俺爹早上在院里摔了一跤，到现在还起不来，俺在外地打工回不去').urgent) {
      expect(c.urgentReason).toMatch(/危险/);
    }
    expect(c.urgent || c.urgencyUnsure).toBe(true);
  });

  // Floors from the frozen test split, a little under what was measured when the model was last trained
  // (frames and model, 2026-12-07: accuracy 0.933, recall 0.946, precision 0.830, reached 0.989);
  // a change that loses ground on residents' own words fails here.
  it('holds its figures on the frozen test split', async () => {
    const test = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/test.jsonl', import.meta.url), 'utf8'));
    const r = await evaluate(test, (t) => classify(t));
    expect(r.accuracy).toBeGreaterThanOrEqual(FLOOR.accuracy);
    expect(r.urgentRecall).toBeGreaterThanOrEqual(FLOOR.urgentRecall);
    expect(r.urgentReached).toBeGreaterThanOrEqual(FLOOR.urgentReached);
    expect(r.urgentPrecision).toBeGreaterThanOrEqual(FLOOR.urgentPrecision);
  });
});

const FLOOR = { accuracy: 0.92, urgentRecall: 0.93, urgentPrecision: 0.8, urgentReached: 0.98 };
