import { describe, expect, it } from 'vitest';
import { intentOf } from '../../src/dialogs/intent.js';
import type { Said } from '../../src/dialogs/flow-turn.js';
import { readActs } from '../../src/dialogs/understand/acts.js';
import { normalizeUtterance } from '../../src/dialogs/understand/index.js';
import { detectUrgency } from '../../src/routing/urgency.js';
import { issued, makeCtx } from './helpers.js';

/** A first message as the engine reads it. */
function intent(raw: string) {
  const text = normalizeUtterance(raw);
  const said: Said = { text, channel: 'sms', at: '2026-11-22T02:00:00Z', unsure: false, urgency: detectUrgency(text), alarmed: false, acts: readActs(text) };
  return intentOf(said, makeCtx());
}

describe('intentOf: asking after an application', () => {
  it.each([
    '俺爹那个特困供养审批到哪了',
    '打了好几回电话了 究竟批没批啊',
    '俺姐替俺申的那个高龄津贴现在到哪一步了',
    '俺那个医疗救助有信儿没',
  ])('a question about where a decision stands presupposes an application: "%s"', (text) => {
    expect(intent(text)).toBe('progress');
  });

  it.each([
    '材料交上去二十来天了，连个回音也没有',
    '去年冬天报过临时救助，到今天也没见人来',
    '申请递上去俩礼拜了 一点音信都没有',
    '我申请的住房救助还得等多久',
  ])('an application told as past, with no news or how it stands: "%s"', (text) => {
    expect(intent(text)).toBe('progress');
  });

  it.each(['俺娘身体咋样了', '俺儿子出去打工俩月了还没信儿'])('what became of something never applied for is no progress question: "%s"', (text) => {
    expect(intent(text)).not.toBe('progress');
  });
});

describe('intentOf: a duration question', () => {
  it.each(['帮我查查进度，大概还得等多久', `编号${issued(3, '20261120')}，还要多久能批`])('after a progress word or a tracking number is progress: "%s"', (text) => {
    expect(intent(text)).toBe('progress');
  });

  it.each(['低保一般得多长时间才能批下来', '特困供养批下来要多久'])('with no application behind it asks about the policy: "%s"', (text) => {
    expect(intent(text)).toBe('enquiry');
  });
});
