import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/routing/analyse.js';
import { classify } from '../../src/routing/classify.js';
import { segment, segmenterFallback, userDictionary } from '../../src/routing/segment.js';
import { detectUrgency } from '../../src/routing/urgency.js';

const words = (text: string) => segment(text).map((t) => t.word);
const hitWords = (text: string) => analyse(text).hits.map((h) => h.word);

describe('segment', () => {
  it('runs on the native segmenter here, not the character fallback', () => {
    expect(segmenterFallback()).toBe(false);
  });

  it('cuts text into words whose offsets cover it exactly', () => {
    const text = '俺在外面打工，今年二十五岁了😀 ok';
    const tokens = segment(text);
    expect(tokens.map((t) => t.word).join('')).toBe(text);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
    expect(words('俺在外面打工')).toContain('打工');
  });

  it('keeps programme names of the domain dictionary whole', () => {
    expect(words('我要申请低保和两项补贴，残疾证办了')).toEqual(expect.arrayContaining(['低保', '两项补贴', '残疾证']));
    expect(words('我是特困户')).toContain('特困户');
  });

  it('has every township of the demo county, and its short names, in the user dictionary', () => {
    const county = JSON.parse(readFileSync(new URL('../../data/counties/lanshan.json', import.meta.url), 'utf8')) as { townships: { name: string; aliases?: string[] }[] };
    const dictionary = new Set(userDictionary().split('\n').map((line) => line.split(' ')[0]));
    for (const t of county.townships) {
      for (const name of [t.name, ...(t.aliases ?? [])]) {
        expect(dictionary.has(name), name).toBe(true);
        expect(words(`俺是${name}的`), name).toContain(name);
      }
    }
  });

  it('gives empty text no words and never throws on odd input', () => {
    expect(segment('')).toEqual([]);
    for (const text of ['😀😀😀', 'x'.repeat(10_000), '\u0000\u200b', 'مرحبا 你好 Привет']) expect(() => segment(text)).not.toThrow();
  });
});

describe('lexicon matching on word boundaries', () => {
  it('does not find 打 (hitting) inside 打工, 打电话 or 打扫', () => {
    for (const text of ['俺男人在外面打工', '我想给你们打电话问问', '我在学校打扫卫生']) {
      expect(detectUrgency(text).urgent, text).toBe(false);
    }
  });

  it('does not find 十五岁 inside 二十五岁, nor 十三岁 inside 五十三岁', () => {
    expect(hitWords('我今年二十五岁，想找个工作')).not.toContain('十五岁');
    expect(hitWords('他现在五十三岁了')).not.toContain('十三岁');
    expect(hitWords('孩子今年十五岁了，不想念书')).toContain('十五岁');
  });

  it('does not find 家暴 in 我家暴雨 nor 老公 in 老公公', () => {
    expect(detectUrgency('我家暴雨天屋顶漏，想修修').urgent).toBe(false);
    expect(hitWords('我老公公透析')).not.toContain('老公');
  });

  it('still finds a word that heads a compound or takes a suffix', () => {
    expect(hitWords('俺爹查出来肺癌')).toContain('癌');
    expect(hitWords('俺老伴儿腿脚不好')).toContain('老伴');
    expect(hitWords('在汽车站睡了两宿')).toContain('车站');
  });

  it('routes a look-alike by what it means', () => {
    expect(classify('俺男人打零工，家里困难，想申请低保').urgent).toBe(false);
  });
});
