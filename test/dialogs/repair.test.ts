import { describe, expect, it } from 'vitest';
import type { UrgencyVerdict } from '../../src/dialogs/context.js';
import { assessUrgency, detectUrgency } from '../../src/routing/urgency.js';
import { ctxFor, effects, run, text, VALID_ID } from './helpers.js';

const FORM = [`我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村，想申请低保，老伴瘫痪在床`];

describe('one repair policy', () => {
  it('a question in the middle is answered, then the pending question asked again; nothing given is lost', () => {
    const t = run('sms', ['2', '老伴住院了，家里没收入', '得准备些啥证件？', '王秀英']);
    expect(text(t.turns[2])).toContain('身份证、户口本');
    expect(text(t.turns[2])).toContain('请问申请人叫什么名字？');
    expect(t.turns[2]!.state.slots.reason).toBe('老伴住院了，家里没收入');
    expect(t.turns[3]!.state.slots.name).toBe('王秀英');
  });

  it('the second failure asks in other words; no prompt is sent three times', () => {
    const t = run('sms', ['2', '老伴住院了', '嗯嗯', '啊啊啊', '哦哦']);
    const prompts = t.turns.flatMap((turn) => turn.replies.map((r) => r.text));
    const counts = new Map<string, number>();
    for (const p of prompts) for (const line of p.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    expect(text(t.turns[3])).toContain('身份证上的名字');
    expect(text(t.turns[4])).toContain('转人工');
  });

  it('asking for a person half-way through the form is told what is left, once; asked again, a person it is', () => {
    const t = run('sms', ['2', '老伴住院了，家里没收入', '王秀英', VALID_ID, '问来问去的，找个真人跟我说', '三口人', '还是找个人工吧']);
    expect(text(t.turns[4])).toContain('可以给您转人工');
    expect(text(t.turns[4])).toContain('家庭人口');
    expect(text(t.turns[4])).toContain('家里一共几口人');
    expect(effects(t.turns[4], 'flag_duty')).toEqual([]);
    expect(t.turns[5]!.state.slots.householdSize).toBe(3);
    expect(effects(t.turns[6], 'flag_duty')[0]).toMatchObject({ kind: 'asked_for_person' });
    expect(t.turns[6]!.state.flow).toBe('handover');
  });

  it('"不会弄" asked for the ID number leaves that item for the call-back instead of handing over', () => {
    const t = run('sms', ['2', '老伴住院了，家里没收入', '王秀英', '这个俺不会弄']);
    expect(t.turns[3]!.state.flow).toBe('application');
    expect(t.turns[3]!.state.skipped).toContain('idNumber');
    expect(text(t.turns[3])).toContain('家里一共几口人');
  });

  it('questions back twice in a row: the pending question the second time in other words, never three times the same', () => {
    const t = run('sms', [...FORM, '是', '1', '查这个干啥？', '查了能咋的？', '同意']);
    const consent = t.turns.flatMap((turn) => turn.replies.map((r) => r.text)).filter((x) => x.includes('为了核实家庭经济状况'));
    expect(consent.length).toBeLessThanOrEqual(2);
    expect(text(t.turns[4])).toMatch(/同意就回复|同意就说/);
    expect(t.turns[5]!.state.consent?.given).toBe(true);
  });

  it('asking for a person in natural words hands over', () => {
    const t = run('sms', ['2', '听不懂你说啥']);
    expect(effects(t.turns[1], 'flag_duty')[0]).toMatchObject({ kind: 'asked_for_person' });
    expect(t.turns[1]!.state.flow).toBe('handover');
  });
});

describe('read-back', () => {
  it('a yes with a correction is a correction, and the named item is asked again', () => {
    const t = run('sms', [...FORM, '是', '1', '同意', '没有', '对是对，就是名字不对']);
    expect(text(t.turns[4])).toContain('请核对您的申请');
    expect(effects(t.turns[5], 'open_case')).toEqual([]);
    expect(text(t.turns[5])).toContain('请问申请人叫什么名字？');
    expect(t.turns[5]!.state.slots.name).toBeUndefined();
  });

  it('consent withdrawn at read-back by naming it', () => {
    const t = run('sms', [...FORM, '是', '1', '同意', '没有', '授权那个不对，我不同意查']);
    expect(t.turns[4]!.state.consent?.given).toBe(true);
    expect(t.turns[5]!.state.consent?.given).toBe(false);
    expect(text(t.turns[5])).toContain('授权核对：不同意');
  });

  it('a house number corrected inside the known village', () => {
    const t = run('sms', [...FORM, '是', '1', '同意', '没有', '对是对，就是门牌号不对，是12号']);
    expect(t.turns[5]!.state.slots.address).toBe('东鲁村12号');
    expect(effects(t.turns[5], 'open_case')).toEqual([]);
  });
});

describe('the safety question', () => {
  const unsureOn = (words: RegExp) => (text: string): UrgencyVerdict =>
    words.test(text) ? { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, unsure: true } : detectUrgency(text);

  it('asked once when urgency is unsure; a plain no goes on without a flag', () => {
    const ctx = ctxFor('sms', { detectUrgency: unsureOn(/好几天没出门/) });
    const t = run('sms', ['我娘好几天没出门了，想给她申请个补助', '吃住都还行', '她腿脚不好，家里没收入', '王秀英'], { ctx });
    expect(text(t.turns[0])).toContain('现在有没有人有危险');
    expect(t.turns[0]!.state.step).toBe('safety');
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    // Back to the form where it was: the safety question is not asked again.
    expect(t.turns[1]!.state.step).not.toBe('safety');
    expect(t.turns[3]!.state.slots.name).toBe('王秀英');
    expect(t.turns[3]!.state.safety).toMatchObject({ asked: true, pending: false, flagged: false });
    expect(t.turns.slice(1).map((turn) => text(turn)).join('')).not.toContain('现在有没有人有危险');
  });

  it('a danger confirmed before any form item makes it an emergency report, with the place and account already told', () => {
    const ctx = ctxFor('sms', { detectUrgency: unsureOn(/好几天没出门/) });
    const t = run('sms', ['枣园镇东鲁村的，对门老太太好几天没出门了', '有，敲门也没人应'], { ctx });
    expect(effects(t.turns[1], 'flag_duty')[0]).toMatchObject({ urgent: true });
    expect(t.turns[1]!.state.flow).toBe('emergency');
    expect(t.turns[1]!.state.emergency).toMatchObject({ townshipCode: 'zaoyuan', villageCode: 'donglu', what: '对门老太太好几天没出门了' });
    // Neither the place nor what happened is asked again.
    expect(text(t.turns[1])).not.toMatch(/发生在哪里|发生了什么/);
  });

  it("a plain no to the safety question is not overruled by the model's reading of its words", () => {
    const ctx = ctxFor('sms', {
      detectUrgency: (x: string): UrgencyVerdict =>
        /炉子/.test(x) ? { urgent: true, signals: [], lifeDanger: false, mentalHealth: false, unsure: false, by: 'model', modelP: 0.9 } : unsureOn(/好几天没出门/)(x),
    });
    const t = run('sms', ['我娘好几天没出门了，想给她申请个补助', '吃的有，屋里有炉子，不冷'], { ctx });
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
  });

  it('the model alone, unsure in a story, asks the safety question instead of flagging', () => {
    const modelDoubt = (): UrgencyVerdict => ({ urgent: true, signals: [], lifeDanger: false, mentalHealth: false, unsure: false, by: 'model', modelP: 0.3 });
    const t = run('sms', ['替邻居问问，她家男人没了，就剩她跟儿子'], { ctx: ctxFor('sms', { detectUrgency: modelDoubt }) });
    expect(effects(t.turns[0], 'flag_duty')).toEqual([]);
    expect(text(t.turns[0])).toContain('现在有没有人有危险');
  });

  it('a danger at the end of a long story reaches a person: its most urgent part is read on its own', () => {
    const story = '俺是低保户，俺男人前年出车祸腿瘸了，俺在外头给人家干钟点工。俺想问问有没有给困难户换灶具的。俺刚下班回来，一开门屋里一股煤气味，俺男人在沙发上睡着了，叫了两声他也没醒';
    const t = run('sms', [story], { ctx: ctxFor('sms', { detectUrgency: assessUrgency }) });
    const flagged = effects(t.turns[0], 'flag_duty').some((e) => e.urgent);
    expect(flagged || text(t.turns[0]).includes('现在有没有人有危险')).toBe(true);
  });

  it('a long plain story is not asked the safety question for its length alone', () => {
    const story = '你好，俺叫孙桂英，今年七十六了，是枣园镇东鲁村的。老头子前年没了，俺没儿没女，就自己一个人过，腿也不好，地早就种不了了。村里人说俺这样的能办五保，想问问咋申请。';
    const t = run('sms', [story], { ctx: ctxFor('sms', { detectUrgency: () => ({ urgent: false, signals: [], lifeDanger: false, mentalHealth: false }) }) });
    expect(text(t.turns[0])).not.toContain('现在有没有人有危险');
  });

  it('on voice the keypad answers it: 2 is no, 1 is yes', () => {
    const ctx = ctxFor('voice', { detectUrgency: unsureOn(/好几天没出门/) });
    const no = run('voice', ['', '我娘好几天没出门了，想给她申请个补助', '[keys]2'], { ctx });
    const yes = run('voice', ['', '我娘好几天没出门了，想给她申请个补助', '[keys]1'], { ctx });
    expect(no.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    expect(effects(yes.turns[2], 'flag_duty')[0]).toMatchObject({ urgent: true });
  });

  it('an unclear answer is asked once more in plainer words, and unclear twice goes to a person', () => {
    const ctx = ctxFor('sms', { detectUrgency: unsureOn(/好几天没出门/) });
    const t = run('sms', ['我娘好几天没出门了，想给她申请个补助', '说不好', '不清楚'], { ctx });
    expect(effects(t.turns[1], 'flag_duty')).toEqual([]);
    expect(t.turns[1]!.state.step).toBe('safety');
    expect(t.turns[1]!.replies.map((r) => r.text).join('')).toContain('今晚有没有吃的');
    expect(effects(t.turns[2], 'flag_duty')[0]).toMatchObject({ urgent: true, kind: 'urgent', reason: expect.stringContaining('安全问题') });
  });

  it('an unclear answer then a no goes on without a flag', () => {
    const ctx = ctxFor('sms', { detectUrgency: unsureOn(/好几天没出门/) });
    const t = run('sms', ['我娘好几天没出门了，想给她申请个补助', '不知道', '没有，都挺好'], { ctx });
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    expect(t.turns[2]!.state.step).not.toBe('safety');
  });

  it('a form answer is read as an answer: the model alone does not flag a weak reading there', () => {
    const t = run('sms', ['2', '老伴住院了', '王秀英', '打俺这个就行，她没手机'], { ctx: ctxFor('sms', { detectUrgency: assessUrgency }) });
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
  });

  it('an urgent disclosure mid-form is flagged and answers no form question', () => {
    const t = run('sms', ['2', '老伴住院了', '王秀英', '我刚把一瓶安眠药都喝了'], { ctx: ctxFor('sms', { detectUrgency: assessUrgency }) });
    expect(effects(t.turns[3], 'flag_duty')[0]).toMatchObject({ urgent: true });
    expect(t.turns[3]!.state.step).toBe('idNumber');
    expect(t.turns[3]!.state.slots.householdSize).toBeUndefined();
  });
});

describe('emergency', () => {
  it('more of the story at the place question is kept, and the place asked again', () => {
    const t = run('sms', ['俺对门老张两天没见出来了', '门从里头插着，喊也不应', '义堂镇北湖村'], { ctx: ctxFor('sms', { detectUrgency: assessUrgency }) });
    expect(t.turns[1]!.state.step).toBe('where');
    expect(t.turns[1]!.state.emergency.what).toContain('门从里头插着');
    expect(t.turns[2]!.state.emergency).toMatchObject({ townshipCode: 'yitang', villageCode: 'beihu' });
  });
});

describe('corrections that carry the new value', () => {
  it('"名字错了一个字，是珍珠的珍，刘玉珍" takes the new name at once', () => {
    const t = run('sms', [...FORM, '是', '1', '同意', '没有', '对是对，就是名字错了一个字，是珍珠的珍，刘玉珍']);
    expect(t.turns[5]!.state.slots.name).toBe('刘玉珍');
    expect(text(t.turns[5])).toContain('好的，已更正：姓名：刘玉珍');
    expect(t.turns[5]!.state.step).toBe('summary');
  });

  it('a false alarm does not trap the form: the next answer is read', () => {
    const alarmOnce = (text: string) => ({ urgent: /一个人/.test(text), signals: [], lifeDanger: false, mentalHealth: false });
    const t = run('sms', ['2', '老伴住院了', '王秀英', '记不清', '就他一个人 没成过家', '就他一个人'], { ctx: ctxFor('sms', { detectUrgency: alarmOnce }) });
    expect(t.turns[4]!.state.step).toBe('householdSize');
    expect(t.turns[5]!.state.slots.householdSize).toBe(1);
  });
});
