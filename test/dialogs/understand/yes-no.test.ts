import { describe, expect, it } from 'vitest';
import { parseYesNo } from '../../../src/dialogs/understand/index.js';

describe('parseYesNo', () => {
  it.each([
    '是', '是的', '是啊', '对', '对的', '好', '好的', '好嘞', '可以', '同意', '我同意', '确认', '嗯', '嗯嗯', '行', '行吧',
    '中', '没问题', '对对对', '1', '１', 'OK', '对，是四口人', '嗯，对',
  ])('%s → yes', (text) => {
    expect(parseYesNo(text)).toBe(true);
  });

  it.each(['不', '不是', '不对', '不同意', '否', '没有', '2', '不用了', '不要', '不行', '嗯，不对', '不是的，我说错了'])(
    '%s → no',
    (text) => {
      expect(parseYesNo(text)).toBe(false);
    },
  );

  it.each(['', '不知道', '是不是', '12', '我想问一下', '没有钱', '王秀英', '三口人'])('%s → undefined', (text) => {
    expect(parseYesNo(text)).toBeUndefined();
  });
});
