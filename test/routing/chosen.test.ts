import { describe, expect, it } from 'vitest';
import { choiceNote, withResidentChoice } from '../../src/routing/chosen.js';
import { classify } from '../../src/routing/classify.js';
import type { Classification } from '../../src/routing/types.js';

const base = (categories: Classification['categories']): Classification => ({
  categories,
  urgent: false,
  lifeDanger: false,
  mentalHealth: false,
  source: 'rules',
  unsure: false,
});

describe('the category the resident chose in the dialog', () => {
  // The resident picked 低保 earlier in the dialog; the story they told names 住院 and 医药费 loudly.
  const story = '老伴去年住院做了手术，花了十几万医药费，现在家里一点收入都没有';

  it('stays the lead over a keyword elsewhere in the story; the story’s lead assists and is recorded for staff', () => {
    const read = classify(story);
    expect(read.categories[0]?.code).toBe('medical');
    const cl = withResidentChoice(read, ['minimum_living'], 'lead');
    expect(cl.categories[0]).toMatchObject({ code: 'minimum_living', reason: '居民在对话中选择的救助类别' });
    expect(cl.categories[1]?.code).toBe('medical');
    expect(cl.chosen?.codes).toEqual(['minimum_living']);
    expect(cl.chosen?.suggested?.code).toBe('medical');
    expect(cl.unsure).toBe(true);
    expect(cl.urgent).toBe(read.urgent);
  });

  it('leads even when the story never names it, and keeps every category the classifier found', () => {
    const read = base([{ code: 'medical', confidence: 0.9, reason: '提到“住院费”' }, { code: 'elderly', confidence: 0.6, reason: '提到“老伴”' }]);
    const cl = withResidentChoice(read, ['minimum_living', 'medical'], 'lead');
    expect(cl.categories.map((c) => c.code)).toEqual(['minimum_living', 'medical', 'elderly']);
    expect(cl.categories[0]).toMatchObject({ confidence: 0.5, reason: '居民在对话中选择的救助类别' });
    expect(cl.categories[1]?.reason).toBe('居民在对话中选择的救助类别；提到“住院费”');
    expect(cl.chosen).toEqual({ codes: ['minimum_living', 'medical'], suggested: { code: 'medical', confidence: 0.9, reason: '提到“住院费”' } });
    expect(choiceNote(cl)).toBe('居民选择：minimum_living、medical；按所述情况也可能是：medical（提到“住院费”）');
  });

  it('records no suggestion when the story agrees', () => {
    const cl = withResidentChoice(base([{ code: 'minimum_living', confidence: 0.9, reason: '提到“低保”' }]), ['minimum_living'], 'lead');
    expect(cl.chosen).toEqual({ codes: ['minimum_living'] });
    expect(cl.unsure).toBe(false);
  });

  it('changes nothing when the resident chose nothing', () => {
    const read = base([{ code: 'medical', confidence: 0.9, reason: '提到“住院费”' }]);
    expect(withResidentChoice(read, [], 'lead')).toBe(read);
  });

  it('in an emergency lets the danger lead and adds the named categories as assisting ones', () => {
    const read = base([{ code: 'disaster', confidence: 0.95, reason: '提到“着火”' }]);
    const cl = withResidentChoice({ ...read, urgent: true }, ['temporary', 'minimum_living'], 'assist');
    expect(cl.categories.map((c) => c.code)).toEqual(['disaster', 'minimum_living']);
    expect(cl.urgent).toBe(true);
    expect(cl.chosen).toEqual({ codes: ['minimum_living'] });
    // Nothing found at all: the dialog's categories stand in, temporary first.
    expect(withResidentChoice(base([]), ['temporary', 'minimum_living'], 'assist').categories.map((c) => c.code)).toEqual(['temporary', 'minimum_living']);
  });
});
