import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/routing/analyse.js';
import { classifyByRules, readByRules } from '../../src/routing/classify.js';
import { readFrames } from '../../src/routing/frames.js';
import { ownedNeeds } from '../../src/routing/owners.js';
import { readPersons } from '../../src/routing/person.js';
import { detectUrgency } from '../../src/routing/urgency.js';

const persons = (text: string) => readPersons(readFrames(analyse(text)));

describe('whose need it is: traits of the person a situation is about', () => {
  it('reads a young person from a stated age or schooling, the caller keeping it wherever they speak of themselves', () => {
    const p = persons('我是高三的，明天一模。我现在坐在宿舍楼天台边上，不想下去了');
    expect([...p.traits]).toContain('youth');
    expect(p.situations.some((s) => s.kind === 'self_harm' && s.who === 'self' && s.traits.includes('youth'))).toBe(true);
    expect([...persons('俺今年十七了，想出去干活').traits]).toContain('youth');
    // An age under the child limit is a child, not (only) young; a grown-up age is neither.
    expect([...persons('俺家孩子才六岁').traits]).not.toContain('youth');
    expect([...persons('我今年四十五了').traits]).not.toContain('youth');
  });

  it('reads a woman from her husband or in-laws named, and someone from elsewhere', () => {
    expect(persons('我老公又喝多了在家打我').situations.find((s) => s.kind === 'violence')?.traits).toContain('woman');
    expect([...persons('有个外地口音的男的躺在大棚里').traits]).toContain('outsider');
  });

  it('never changes urgency: a trait word inside a danger phrase leaves it to the frames', () => {
    // 她男人 is a trait; 男人打 stays the violence cue it was.
    expect(detectUrgency('我闺女被她男人打了，现在躲在我家，身上都是伤').signals).toContain('violence');
  });
});

describe('whose-need rules (owners.json)', () => {
  it('give violence against a woman to the women’s federation, a teenager’s crisis to the youth league, a stranded stranger to the rescue station', () => {
    const owned = (text: string) => ownedNeeds(readFrames(analyse(text))).map((o) => o.owner.category);
    expect(owned('我老公现在在打我，我躲在厕所里')).toContain('women');
    expect(owned('我十六，从家里跑出来了，我爸一喝酒就拿皮带抽我，现在在汽车站')).toContain('youth');
    expect(owned('我是外地来的，钱包被偷了，今晚没地方睡')).toContain('vagrant');
  });

  it('count as the rules’ reading with a reason staff can read', () => {
    const cl = classifyByRules('我是高三的，我现在坐在宿舍楼天台边上，不想下去了');
    const youth = cl.categories.find((c) => c.code === 'youth');
    expect(youth?.reason).toMatch(/^所述情况：青少年处境危险/);
  });
});

describe('what is asked for', () => {
  it('marks a clause that asks for something (the main need), apart from the circumstances told', () => {
    const { frames } = readFrames(analyse('我一条腿截肢了，想找个工作'));
    expect(frames[1]?.modality.has('request')).toBe(true);
    expect(frames[0]?.modality.has('request')).toBe(false);
    // A request never touches urgency.
    expect(readByRules('我一条腿截肢了，想找个工作').urgency.urgent).toBe(false);
  });
});
