import { describe, expect, it } from 'vitest';
import { assessUrgency } from '../../src/routing/urgency.js';
import { ctxFor, effects, run, text } from './helpers.js';

const ctx = ctxFor('sms', { detectUrgency: (t) => assessUrgency(t) });

describe('an opening that asks for no assistance', () => {
  it('thanks for help given: acknowledged, no application begun, the menu open for a need', () => {
    const t = run('sms', ['上回你们帮俺娘办的临时救助已经到了，俺就是打个电话谢谢你们'], { ctx });
    expect(text(t.turns[0])).toMatch(/^不客气/);
    expect(text(t.turns[0])).toMatch(/2 申请救助/);
    expect(t.turns[0]?.state.flow).toBe('menu');
    expect(effects(t.turns[0], 'flag_duty')).toEqual([]);
    // What the resident was told is true: staff get a task with the conversation.
    expect(effects(t.turns[0], 'callback_task')).toEqual([{ type: 'callback_task', reason: expect.stringMatching(/致谢/) }]);
  });

  it('an offer to give is not taken for an application, and a need said next is', () => {
    const t = run('sms', ['我们单位想给困难老人捐一批棉衣，跟谁联系', '俺自己家也困难，想申请低保'], { ctx });
    expect(text(t.turns[0])).toMatch(/感谢您的爱心/);
    expect(t.turns[1]?.state.flow).toBe('application');
  });

  it('a complaint about the line raises no alarm', () => {
    const t = run('sms', ['你们这电话老占线，打了一上午才打进来，就想说一声'], { ctx });
    expect(text(t.turns[0])).toMatch(/记下/);
    expect(effects(t.turns[0], 'flag_duty')).toEqual([]);
  });

  it('a farewell told as thanks is not acknowledged as thanks: a duty officer is alerted', () => {
    const t = run('sms', ['谢谢你们这些年照顾，俺把药都攒好了，以后不麻烦你们了'], { ctx });
    expect(text(t.turns[0])).not.toMatch(/不客气/);
    expect(effects(t.turns[0], 'flag_duty').length).toBe(1);
  });
});
