import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/routing/analyse.js';
import { classifyByRules } from '../../src/routing/classify.js';
import { parseEvalLines } from '../../src/routing/eval.js';
import { soundOf } from '../../src/routing/sound.js';

const heard = (text: string) => analyse(text).hits.filter((h) => h.soundsLike).map((h) => `${h.word}→${h.soundsLike}`);

describe('lexicon words heard by sound (voice transcripts)', () => {
  it('folds what a recogniser mixes up: tones, zh/z ch/c sh/s, n/l, back nasals', () => {
    expect(soundOf('zhu')).toBe(soundOf('zu'));
    expect(soundOf('nian')).toBe('lian');
    expect(soundOf('ling')).toBe(soundOf('lin'));
  });

  it('finds the words a recogniser wrote with other characters, and the rules read them with a reason', () => {
    expect(heard('俺家地保今年咋没发了')).toEqual(['地保→低保']);
    expect(heard('她那个蚕鸡证到期了')).toEqual(['蚕鸡证→残疾证']);
    expect(heard('我大伯是五宝户')).toEqual(['五宝户→五保户']);
    expect(heard('俺爹助院了')).toEqual(['助院→住院']);
    expect(heard('我妈是残积人')).toEqual(['残积人→残疾人']);
    const cl = classifyByRules('俺家地保今年咋没发了');
    expect(cl.categories[0]).toMatchObject({ code: 'minimum_living', reason: '提到“地保（音近低保）”' });
  });

  it('counts a word once whether said right or by sound', () => {
    const cl = classifyByRules('我想问问低保，就是地保');
    expect(cl.categories[0]?.confidence).toBe(classifyByRules('我想问问低保').categories[0]?.confidence);
  });

  it('leaves alone words people really say, two characters that share no character, numbers, 他/她 and particles', () => {
    expect(heard('家里急着要钱')).toEqual([]); // 要钱 is a common word, not 药钱
    expect(heard('我心里难受')).toEqual([]); // 心理
    expect(heard('就在村口')).toEqual([]); // 救灾: two characters, none kept
    expect(heard('他今年就是不去')).toEqual([]); // 九十: numbers are matched by characters only
    expect(heard('他们打他')).toEqual([]); // 打她: 他/她 are one sound
    expect(heard('老头躺了一上午')).toEqual([]); // 瘫了: only the particle 了 is kept
    expect(heard('雪化了')).toEqual([]); // 化疗: 了 read in context is le
  });

  it('gives bad input a defined answer', () => {
    for (const text of ['', '😀😀', '\uD800', '地'.repeat(10_000), '了了了了了']) expect(() => analyse(text)).not.toThrow();
  });

  it('is scored on the training corpus: words heard by sound name a category the line expects', () => {
    const lines = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/train.jsonl', import.meta.url), 'utf8'));
    let found = 0;
    let right = 0;
    for (const line of lines) {
      for (const h of analyse(line.text).hits) {
        if (!h.soundsLike || h.term.weights.length === 0) continue;
        found++;
        if (h.term.weights.some(([code]) => line.expect.includes(code))) right++;
      }
    }
    expect(found).toBeGreaterThan(50);
    expect(right / found).toBeGreaterThanOrEqual(0.9);
  });
});
