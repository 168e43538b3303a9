import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/routing/matcher.js';
import { maskNumbers } from '../../src/routing/mask.js';
import { normalizeText } from '../../src/routing/normalize.js';

describe('normalizeText', () => {
  it('turns traditional characters into simplified ones', () => {
    expect(normalizeText('請問殘疾證怎麼辦理')).toBe('请问残疾证怎么办理');
    expect(normalizeText('家裡著火了，煤氣洩漏')).toBe('家里着火了,煤气泄漏');
  });

  it('turns full-width letters, digits and punctuation into ASCII and lower-cases letters', () => {
    expect(normalizeText('ＡＢＣ１２３！？　好')).toBe('abc123!? 好');
  });

  it('leaves simplified text untouched', () => {
    const text = '俺家想吃低保。咋办';
    expect(normalizeText(text)).toBe(text);
  });
});

describe('compileMatcher', () => {
  const match = compileMatcher<string>(
    [
      ['打', 'hit'],
      ['打电话', 'call'],
      ['着火', 'fire'],
      ['着火', 'again'],
    ],
    (a, b) => `${a}+${b}`,
  );

  it('takes the longest phrase at each position and continues after it', () => {
    expect(match('给他打电话说着火了').map((m) => [m.word, m.value, m.start])).toEqual([
      ['打电话', 'call', 2],
      ['着火', 'fire+again', 6],
    ]);
  });

  it('lets a harmless phrase block a match it overlaps from the right', () => {
    const blocking = compileMatcher<string>(
      [
        ['男人打', 'violence'],
        ['打零工', 'work'],
      ],
      (a) => a,
      new Set(['打零工']),
    );
    expect(blocking('俺男人打零工').map((m) => m.value)).toEqual(['work']);
    expect(blocking('俺男人打俺').map((m) => m.value)).toEqual(['violence']);
  });

  it('finds nothing in unrelated text', () => {
    expect(match('今天天气不错')).toEqual([]);
  });
});

describe('maskNumbers', () => {
  it('keeps the first 3 and last 4 of phone and ID numbers', () => {
    expect(maskNumbers('电话13812341234')).toBe('电话138****1234');
    expect(maskNumbers('身份证11010519491231002X')).toBe('身份证110***********002X');
    expect(maskNumbers('电话 138 1234 1234')).toBe('电话 138****1234');
  });

  it('leaves short numbers alone', () => {
    expect(maskNumbers('家里3口人，一个月500块')).toBe('家里3口人，一个月500块');
  });
});
