import { describe, expect, it } from 'vitest';
import { parseChineseInt } from '../../../src/dialogs/understand/index.js';

describe('parseChineseInt', () => {
  it.each([
    ['三', 3], ['两', 2], ['幺', 1], ['十', 10], ['十二', 12], ['二十', 20], ['二十五', 25], ['廿', 20], ['廿三', 23],
    ['一百零五', 105], ['两千零五十', 2050], ['5', 5], ['12', 12], ['１２', 12], ['二零二四', 2024], ['兩', 2],
  ])('%s → %i', (text, value) => {
    expect(parseChineseInt(text)).toBe(value);
  });

  it.each(['', '三口', 'abc', '一二十', '十十', '零十'])('%s is not a number', (text) => {
    expect(parseChineseInt(text)).toBeUndefined();
  });
});
