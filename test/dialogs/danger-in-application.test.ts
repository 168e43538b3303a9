import { describe, expect, it } from 'vitest';
import { meansCallerNumber } from '../../src/dialogs/answers.js';
import type { UrgencyVerdict } from '../../src/dialogs/context.js';
import { detectUrgency } from '../../src/routing/urgency.js';
import { ctxFor, effects, run, text } from './helpers.js';

/** Urgency left unsure by the opening, as the model leaves a hard life told without a danger. */
const unsureOn = (words: RegExp) => (said: string): UrgencyVerdict =>
  words.test(said) ? { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, unsure: true } : detectUrgency(said);

describe('danger told at the first safety question of an application the resident asked for', () => {
  it('flags a duty officer and goes on with the application', () => {
    const ctx = ctxFor('wecom_app', { detectUrgency: unsureOn(/撑不下去/) });
    const t = run('wecom_app', ['想给俺家申请个临时救助，这日子撑不下去了', '有，孩子他爹刚才拿刀砍人，俺们躲在邻居家'], { ctx });
    expect(text(t.turns[0])).toContain('现在有没有人有危险');
    expect(effects(t.turns[1], 'flag_duty')).toEqual([expect.objectContaining({ urgent: true })]);
    expect(t.turns[1]!.state.flow).toBe('application');
    expect(text(t.turns[1])).toContain('申请人叫什么名字');
  });

  it('a plight told without asking for anything, confirmed dangerous, is still an emergency report', () => {
    const ctx = ctxFor('sms', { detectUrgency: unsureOn(/没见人/) });
    const t = run('sms', ['半程镇河庄村，后院张奶奶两天没见人了', '有，窗户里能看见她躺地上'], { ctx });
    expect(t.turns[1]!.state.flow).toBe('emergency');
  });
});

describe('the final safety question answered by telling how things are', () => {
  it('pain past bearing, asked back "危险不危险", flags', () => {
    const t = run('sms', ['2', '俺想申请医疗救助', '刘长江', '记不清', '三口', '李官镇西安村', '是', '2', '同意', '他后腰疼得直不起来，满头汗，你说危险不危险']);
    expect(text(t.turns[9])).toContain('请核对您的申请');
    expect(effects(t.turns[9], 'flag_duty')).toEqual([expect.objectContaining({ urgent: true, reason: expect.stringContaining('安全问题') })]);
  });
});

describe('the number the resident writes or calls from', () => {
  it('"my mobile" is it when that number is a mobile, not from a landline or with the phone out of use', () => {
    expect(meansCallerNumber('打俺手机就中', '+8613912345678')).toBe(true);
    expect(meansCallerNumber('用我的手机号吧', '+8613912345678')).toBe(true);
    expect(meansCallerNumber('打我手机吧', '+865398123456')).toBe(false);
    expect(meansCallerNumber('我手机欠费停机了', '+8613912345678')).toBe(false);
    expect(meansCallerNumber('打我手机', undefined)).toBe(false);
    expect(meansCallerNumber('号码就是这个', '+865398123456')).toBe(true);
  });
});
