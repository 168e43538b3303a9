import { describe, expect, it } from 'vitest';
import { run, text, VALID_ID } from './helpers.js';

const FORM = [`我叫刘玉梅，身份证${VALID_ID}，家里两口人，住枣园镇西鲁村，想申请低保，老伴常年吃药`, '是', '1'];

// What a blind set (d11) showed the application missed, as whole conversations.
describe('application: answers read by what the resident meant', () => {
  it('a grudging yes to the check is consent, though it says there is no money', () => {
    const t = run('sms', [...FORM, '查呗，家里一分存款也没有']);
    expect(t.turns[3]!.state.consent?.given).toBe(true);
  });

  it('the phone number given when asked the household fills the phone, and the household is asked again', () => {
    const t = run('sms', ['2', '老伴住院了，家里没收入', '刘玉梅', VALID_ID, '先记下我手机 13912345678', '俺俩']);
    expect(t.turns[4]!.state.slots.householdSize).toBeUndefined();
    expect(t.turns[4]!.state.slots.phone).toBe('13912345678');
    expect(text(t.turns[4])).toContain('家里一共几口人');
    expect(t.turns[5]!.state.slots.householdSize).toBe(2);
  });

  it('declining to say the ID number leaves it for the call-back instead of asking again', () => {
    const t = run('voice', ['', '2', '老伴住院了，家里没收入', '刘玉梅', '身份证号可不能随便告诉人']);
    expect(t.turns[4]!.state.skipped).toContain('idNumber');
    expect(text(t.turns[4])).toContain('家里一共几口人');
  });

  it('"啥？" gets the question again, in plainer words the second time, and no answer to a question never asked', () => {
    const t = run('voice', ['', '2', '老伴住院了，家里没收入', '啥？', '你说啥？', '刘玉梅']);
    expect(text(t.turns[3])).not.toContain('您的问题我记下了');
    expect(text(t.turns[3])).toContain('叫什么名字');
    expect(text(t.turns[4])).toContain('身份证上的名字');
    expect(t.turns[5]!.state.slots.name).toBe('刘玉梅');
  });
});

describe('application: whose the applicant is, from the name answer', () => {
  const relationAfter = (answer: string) => run('sms', ['想申请低保，家里过不下去了', answer]).turns[1]!.state.relation;

  it('someone named as the speaker\'s family or neighbour says the relation, and it is not asked', () => {
    expect(relationAfter('我爸叫高立民，高低的高，立正的立')).toBe('家属');
    expect(relationAfter('我老伴儿名字叫孙玉珍')).toBe('家属');
    expect(relationAfter('俺邻居王大娘叫李桂花')).toBe('邻居');
  });

  it('the speaker\'s own name says 本人; a bare name says nothing, and the relation is asked later', () => {
    expect(relationAfter('俺叫张桂兰')).toBe('本人');
    expect(relationAfter('张桂兰')).toBeUndefined();
  });
});
