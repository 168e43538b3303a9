import { describe, expect, it } from 'vitest';
import { dangerSaid } from '../../src/dialogs/safety.js';
import { readActs } from '../../src/dialogs/understand/acts.js';

const said = (text: string) => dangerSaid({ text, acts: readActs(text) });

describe('the answer to "anyone in danger, or tonight without food or a bed?"', () => {
  it('food and a roof said to be there is a no, whatever else is hard', () => {
    for (const text of ['有吃有住，就是看病钱不够', '有吃的 他在家躺着哩', '有吃有喝', '吃的还有，就是钱快没了', '粮食够，住的也有']) {
      expect(said(text), text).toBe(false);
    }
  });

  it('a plain yes, someone hurt or beaten, or what was feared still going on, is a yes', () => {
    for (const text of ['有', '有人受伤了', '人还没找到', '还疼着哩，躺着不动']) {
      expect(said(text), text).toBe(true);
    }
  });

  it('fed, "but" someone in a bad way, is a yes; an old complaint after the "but" is not', () => {
    for (const text of ['有吃的，就是俺娘摔了起不来', '吃住都有 可是孩子烧得厉害']) expect(said(text), text).toBe(true);
    for (const text of ['没事，就是腰疼是老毛病了', '有吃的，就是钱不够']) expect(said(text), text).toBe(false);
  });

  it('food said to be there, but no heat or roof in the same answer, is a yes', () => {
    for (const text of ['炉子灭了没煤了，吃的倒还有', '吃的有，就是屋里冻得慌']) expect(said(text), text).toBe(true);
    expect(said('吃的有，屋里生着炉子，不冷')).toBe(false);
  });

  it('a no is a no, and "不清楚" decides nothing', () => {
    expect(said('没有')).toBe(false);
    expect(said('都挺好，没事')).toBe(false);
    expect(said('不清楚')).toBeUndefined();
  });
});

describe('the answer read by what it states', () => {
  it('a question put back ("要紧不要紧") is neither a yes nor a no; what is told beside it decides', () => {
    expect(readActs('孩子烧得直哆嗦，要紧不要紧').safeNow).toBe(false);
    expect(readActs('不要紧，家里都挺好').safeNow).toBe(true);
    for (const text of ['孩子烧得直哆嗦，要紧不要紧', '俺爹胸口疼得直冒冷汗，你看这危险不危险']) expect(said(text), text).toBe(true);
  });

  it('someone in a bad way now is a yes without a "but"; an old ache is not', () => {
    for (const text of ['老伴胃疼得在地上打滚', '他吐血了，脸煞白']) expect(said(text), text).toBe(true);
    expect(said('腿疼是老毛病，好些年了')).not.toBe(true);
  });

  it('hungry tonight after a "就是" is a yes, whoever else is looked after', () => {
    for (const text of ['老的有闺女照看着，就是俩孩子饿了一天了', '住的有，就是家里揭不开锅了']) expect(said(text), text).toBe(true);
    expect(said('邻居送了两袋面，饿不着')).toBe(false);
  });

  it('nobody there to help, or no food or bed, is a yes: the 有 of 没有 has nothing', () => {
    for (const text of ['她一个人躺着，身边一个人也没有', '晚上屋里没人看着他', '俺爹那边没有人管', '今黑儿没有地方睡觉', '锅里没有吃的了']) {
      expect(said(text), text).toBe(true);
    }
    expect(readActs('没有人管').safeNow).toBe(false);
  });

  it('the 有 of 没有 (or 木有) is no yes, and danger denied beside something else is not told', () => {
    for (const text of ['眼下没有，亲戚帮着看着呢', '那没有，就是钱紧', '木有，就是日子难', '没啥危险，就是孩子不听话']) {
      expect(said(text), text).toBe(false);
    }
  });
});
