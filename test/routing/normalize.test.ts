import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/routing/matcher.js';
import { foldForLexicon } from '../../src/routing/normalize.js';

describe('foldForLexicon', () => {
  it('turns traditional characters into simplified ones', () => {
    expect(foldForLexicon('請問殘疾證怎麼辦理')).toBe('请问残疾证怎么办理');
    expect(foldForLexicon('家裡著火了，煤氣洩漏')).toBe('家里着火了,煤气泄漏');
  });

  it('turns full-width letters, digits and punctuation into ASCII and lower-cases letters', () => {
    expect(foldForLexicon('ＡＢＣ１２３！？　好')).toBe('abc123!? 好');
  });

  it('leaves simplified text untouched', () => {
    const text = '俺家想吃低保。咋办';
    expect(foldForLexicon(text)).toBe(text);
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
