import { describe, expect, it } from 'vitest';
import { step } from '../../src/dialogs/engine.js';
import { readNameMismatchAnswer } from '../../src/dialogs/flows/identity-check.js';
import { SILENCE } from '../../src/dialogs/transcripts.js';
import { effects, makeCtx, run, text, VALID_ID } from './helpers.js';

/**
 * The same ID number under another name (issue 14, item 14): asked, never merged silently. The lookup is the runner's
 * (a check_identity effect answered with a verdict); here the transcript player answers it from the cases it knows.
 */

const OTHER_ID = '371311195603150044';
const ONE_MESSAGE = `我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村，老伴瘫痪在床，家里没有收入`;
/** The same number given before under another name. */
const ON_RECORD = [{ trackingNumber: '202611010001', idNumber: VALID_ID, name: '刘桂兰', statusText: '已受理' }];

const allText = (t: ReturnType<typeof run>) => t.turns.flatMap((x) => x.replies.map((r) => `${r.text}\n${r.speech ?? ''}`)).join('\n');

describe('an ID number and a name are checked once both are known', () => {
  it('nothing on record: no question, one check, and nothing about it on the case', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '对']);
    expect(effects(t.turns[0], 'check_identity')).toEqual([{ type: 'check_identity', idNumber: VALID_ID, name: '王秀英' }]);
    expect(t.turns.slice(1).flatMap((x) => effects(x, 'check_identity'))).toEqual([]);
    expect(allText(t)).not.toContain('登记的名字');
    const [open] = effects(t.turns[5], 'open_case');
    expect(open?.complete).toBe(true);
    expect(open?.identityCheck).toBeUndefined();
  });

  it('the same name on record: no question', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '对'], { existingCases: [{ ...ON_RECORD[0]!, name: '王秀英' }] });
    expect(allText(t)).not.toContain('登记的名字');
    expect(effects(t.turns[5], 'open_case')).toHaveLength(1);
    expect(effects(t.turns[5], 'open_case')[0]?.identityCheck).toBeUndefined();
  });

  it('checked as soon as the ID number is given, asked step by step', () => {
    const t = run('wecom_app', ['我想申请低保', '老伴瘫痪在床，家里没有收入', '王秀英', VALID_ID, '1'], { existingCases: ON_RECORD });
    expect(effects(t.turns[3], 'check_identity')).toHaveLength(1);
    expect(text(t.turns[3])).toContain('这个身份证号之前登记过，登记的名字和您这次说的不一样');
    expect(t.turns[3]!.state.step).toBe('identity_check');
    expect(text(t.turns[4])).toContain('是同一个人，名字以这次说的为准');
    expect(text(t.turns[4])).toContain('家里一共几口人');
  });
});

describe('another name on record: the resident is asked, and the answer decides', () => {
  it('never says the other name, or anything else of the earlier record', () => {
    const t = run('sms', [ONE_MESSAGE, '啥意思', '是同一个人'], { existingCases: ON_RECORD });
    const said = allText(t);
    expect(said).not.toContain('刘桂兰');
    expect(said).not.toContain('刘');
    expect(said).not.toContain('202611010001');
  });

  it('the same person, the name corrected: recorded, and the case may be merged', () => {
    const t = run('sms', [ONE_MESSAGE, '是同一个人，以前登记的名字写错了', '是', '1', '同意', '没有', '对'], { existingCases: ON_RECORD });
    expect(text(t.turns[0])).toContain('登记的名字和您这次说的不一样');
    expect(text(t.turns[1])).toContain('记下了：是同一个人');
    expect(effects(t.turns[1], 'callback_task')).toEqual([]);
    const [open] = effects(t.turns[6], 'open_case');
    expect(open).toMatchObject({ complete: true, identityCheck: { mismatch: true, answer: 'same_person' }, fields: { applicant: { name: '王秀英', idNumber: VALID_ID } } });
  });

  it('a different person: kept apart and flagged for staff to check', () => {
    const t = run('sms', [ONE_MESSAGE, '不是同一个人', '是', '1', '同意', '没有', '对'], { existingCases: ON_RECORD });
    expect(text(t.turns[1])).toContain('这次申请单独登记');
    const [task] = effects(t.turns[1], 'callback_task');
    expect(task?.reason).toContain('居民称不是同一个人');
    expect(task?.reason).not.toContain('刘桂兰');
    expect(effects(t.turns[6], 'open_case')[0]?.identityCheck).toEqual({ mismatch: true, answer: 'different_person' });
  });

  it('not sure: recorded as such, kept apart, flagged', () => {
    const t = run('sms', [ONE_MESSAGE, '这个我也说不清楚', '是', '1', '同意', '没有', '对'], { existingCases: ON_RECORD });
    expect(effects(t.turns[1], 'callback_task')).toHaveLength(1);
    expect(effects(t.turns[6], 'open_case')[0]?.identityCheck).toEqual({ mismatch: true, answer: 'unsure' });
  });

  it('a wrong ID number: asked again, the new one checked; the case says the number was given again', () => {
    const t = run('sms', [ONE_MESSAGE, '身份证号说错了', OTHER_ID, '是', '1', '同意', '没有', '对'], { existingCases: ON_RECORD });
    expect(text(t.turns[1])).toContain('身份证号重新记一下');
    expect(text(t.turns[1])).toContain('请告诉我申请人的身份证号');
    expect(t.turns[1]!.state.slots.idNumber).toBeUndefined();
    expect(effects(t.turns[2], 'check_identity')).toEqual([{ type: 'check_identity', idNumber: OTHER_ID, name: '王秀英' }]);
    expect(text(t.turns[2])).not.toContain('登记的名字');
    const [open] = effects(t.turns[7], 'open_case');
    expect(open?.fields.applicant.idNumber).toBe(OTHER_ID);
    expect(open?.identityCheck).toEqual({ mismatch: false, idRetold: true });
  });

  it('the new number given straight away in the answer is checked too', () => {
    const t = run('sms', [ONE_MESSAGE, `号说错了，是${OTHER_ID}`], { existingCases: ON_RECORD });
    expect(effects(t.turns[1], 'check_identity')).toHaveLength(1);
    expect(t.turns[1]!.state.identityCheck).toMatchObject({ idNumber: OTHER_ID, verdict: 'new', idRetold: true });
    expect(text(t.turns[1])).toContain('是否用您现在这个号码');
  });

  it('the same number said to be wrong a second time is kept and staff check it', () => {
    const t = run('sms', [ONE_MESSAGE, '2', VALID_ID, '2'], { existingCases: ON_RECORD });
    expect(text(t.turns[2])).toContain('登记的名字和您这次说的不一样');
    expect(t.turns[3]!.state.identityCheck).toMatchObject({ answer: 'unsure', idRetold: true });
    expect(effects(t.turns[3], 'callback_task')[0]?.reason).toContain('重新报号后仍不一致');
  });

  it('the name corrected to the one on record ends the question', () => {
    const t = run('sms', [ONE_MESSAGE, '我名字说错了，叫刘桂兰'], { existingCases: ON_RECORD });
    expect(effects(t.turns[1], 'check_identity')).toEqual([{ type: 'check_identity', idNumber: VALID_ID, name: '刘桂兰' }]);
    expect(t.turns[1]!.state.step).not.toBe('identity_check');
    expect(t.turns[1]!.state.identityCheck?.verdict).toBe('same_name');
  });

  it('a correction of the ID at read-back is checked again before the read-back', () => {
    const t = run('sms', [ONE_MESSAGE, '1', '是', '1', '同意', '没有', '身份证号不对'], { existingCases: ON_RECORD });
    expect(text(t.turns[5])).toContain('请核对您的申请');
    expect(text(t.turns[6])).toContain('请告诉我申请人的身份证号');
    const back = run('sms', [VALID_ID], { state: t.state!, existingCases: ON_RECORD });
    // The same number and name again: already answered, so straight back to the read-back.
    expect(text(back.turns[0])).toContain('请核对您的申请');
  });

  it('on voice the keypad answers', () => {
    const t = run('voice', ['', '2', '老伴瘫痪在床，家里没有收入', '王秀英', `[keys]${VALID_ID.replace('X', '*')}#`, '[keys]3'], { existingCases: ON_RECORD });
    const question = t.turns[4]!.replies.at(-1)!;
    expect(question.speech).toContain('请按1');
    expect(t.turns[5]!.state.identityCheck?.answer).toBe('different_person');
  });

  it('an unclear answer is asked again in other words, then a person or skipping is offered; skipping records "unsure"', () => {
    const t = run('sms', [ONE_MESSAGE, '嗯', '嗯嗯', '啊', '跳过'], { existingCases: ON_RECORD });
    expect(text(t.turns[1])).toContain('请回复1、2或3');
    expect(text(t.turns[2])).toContain('就是问');
    expect(text(t.turns[3])).toContain('跳过');
    expect(t.turns[4]!.state.identityCheck?.answer).toBe('unsure');
    expect(effects(t.turns[4], 'callback_task')).toHaveLength(1);
  });

  it('silence while the question waits keeps the case with the question unanswered', () => {
    const t = run('sms', [ONE_MESSAGE, SILENCE, SILENCE], { existingCases: ON_RECORD });
    const [open] = effects(t.turns[2], 'open_case');
    expect(open).toMatchObject({ complete: false, identityCheck: { mismatch: true } });
    expect(open?.identityCheck?.answer).toBeUndefined();
  });

  it('waits for the verdict: a message meanwhile is not read as an answer', () => {
    const ctx = makeCtx();
    const at = '2026-11-22T02:00:00Z';
    const first = step(undefined, { kind: 'message', channel: 'sms', text: ONE_MESSAGE, at }, ctx);
    expect(first.state.pendingEffect).toEqual({ type: 'check_identity' });
    expect(first.replies).toEqual([]);
    const answered = step(first.state, { kind: 'event', event: 'identity_checked', verdict: 'other_name' }, ctx);
    expect(answered.state.pendingEffect).toBeUndefined();
    expect(answered.state.step).toBe('identity_check');
  });
});

describe('reading the answer', () => {
  it.each([
    ['1', 'same_person'],
    ['选1', 'same_person'],
    ['是同一个人', 'same_person'],
    ['就是我，以前登记名字写错了', 'same_person'],
    ['她改过名', 'same_person'],
    ['以这次的为准', 'same_person'],
    ['号没错，是名字写错了', 'same_person'],
    ['2', 'id_wrong'],
    ['身份证号说错了', 'id_wrong'],
    ['号码不对', 'id_wrong'],
    ['名字没错，是身份证号报错了', 'id_wrong'],
    ['3', 'different_person'],
    ['不是同一个人', 'different_person'],
    ['不是我', 'different_person'],
    ['那是别人的', 'different_person'],
    ['4', 'unsure'],
    ['不清楚', 'unsure'],
    ['俺也不晓得', 'unsure'],
  ])('%s → %s', (said, expected) => {
    expect(readNameMismatchAnswer(said)).toBe(expected);
  });

  it.each(['嗯', '好的', '5', '王秀英'])('%s → no answer', (said) => {
    expect(readNameMismatchAnswer(said)).toBeUndefined();
  });
});
