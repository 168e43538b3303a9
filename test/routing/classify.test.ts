import { describe, expect, it } from 'vitest';
import { classify } from '../../src/routing/classify.js';
import { Classification } from '../../src/routing/types.js';

describe('classify', () => {
  it('returns a valid Classification from the rules', () => {
    const result = classify('俺娘住院了，住院费交不起');
    expect(Classification.parse(result)).toEqual(result);
    expect(result.source).toBe('rules');
  });

  it('gives a house fire disaster as lead and temporary and housing as assists', () => {
    const result = classify('俺家房子着火了，东西全烧没了');
    const [lead, ...assists] = result.categories.map((c) => c.code);
    expect(lead).toBe('disaster');
    expect(assists.sort()).toEqual(['housing', 'temporary']);
    expect(result.urgent).toBe(true);
    expect(result.lifeDanger).toBe(true);
  });

  it('ranks several needs with the strongest first and confidence falling', () => {
    const result = classify('俺是残疾人，找不到工作，想申请个公益性岗位，家里还是低保户');
    const codes = result.categories.map((c) => c.code);
    expect(codes[0]).toBe('employment');
    expect(codes).toEqual(expect.arrayContaining(['disability', 'minimum_living']));
    const confidences = result.categories.map((c) => c.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it('falls back to temporary assistance when hardship has no named need', () => {
    const result = classify('日子太难了，家里啥都没有');
    expect(result.categories).toHaveLength(1);
    expect(result.categories[0]?.code).toBe('temporary');
    expect(result.categories[0]?.reason).toMatch(/^兜底：/);
    expect(result.unsure).toBe(true);
  });

  it('treats an urgent case with no named need as emergency temporary assistance', () => {
    const result = classify('我不想活了');
    expect(result.categories[0]?.code).toBe('temporary');
    expect(result.urgent).toBe(true);
    expect(result.mentalHealth).toBe(true);
    expect(result.urgentReason).toContain('不想活');
  });

  it('returns no category and unsure for text with no need in it', () => {
    const result = classify('你好，在吗');
    expect(result.categories).toEqual([]);
    expect(result.unsure).toBe(true);
    expect(result.urgent).toBe(false);
    expect(result).not.toHaveProperty('urgentReason');
  });

  it('is sure about a plainly named programme and unsure about a single weak hint', () => {
    expect(classify('想申请低保，要带啥材料').unsure).toBe(false);
    expect(classify('俺家老伴的事').unsure).toBe(true);
  });

  it('counts a repeated word once', () => {
    const once = classify('着火了').categories[0];
    const twice = classify('着火了着火了').categories[0];
    expect(twice).toEqual(once);
  });
});
