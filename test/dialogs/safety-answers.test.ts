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
