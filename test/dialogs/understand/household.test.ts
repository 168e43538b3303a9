import { describe, expect, it } from 'vitest';
import { extractHouseholdSize } from '../../../src/dialogs/understand/index.js';

describe('extractHouseholdSize', () => {
  it.each([
    ['三口人', 3],
    ['一家五口', 5],
    ['家里3个人', 3],
    ['家里一共四个人', 4],
    ['我们家五口人', 5],
    ['家有三口', 3],
    ['五口之家', 5],
    ['我家十二口人', 12],
    ['家裡三個人', 3],
    ['就我一个人', 1],
    ['我自己一个人过', 1],
    ['孤身一人', 1],
    ['我和老伴两个人', 2],
    ['老两口', 2],
    ['我们俩', 2],
    ['娘仨', 3],
    ['我和老伴', 2],
    ['我和两个孩子', 3],
    ['我带着三个孩子', 4],
    ['我一个人带两个孩子', 3],
    ['我和老伴还有一个孙子', 3],
    ['四个', 4],
    ['是4口人', 4],
    ['一共五个人吧', 5],
  ])('%s → %i', (text, size) => {
    expect(extractHouseholdSize(text)).toBe(size);
  });

  it('takes the correction, not the denied or earlier number', () => {
    expect(extractHouseholdSize('不对，是四口人')).toBe(4);
    expect(extractHouseholdSize('不是三口人，是四口人')).toBe(4);
    expect(extractHouseholdSize('原来五口人，现在三口人')).toBe(3);
  });

  it.each(['两个孩子', '家里有两个孩子', '我今年七十三岁', '一百口人', '家里困难', '4', '1'])('%s is not a household size', (text) => {
    expect(extractHouseholdSize(text)).toBeUndefined();
  });
});
