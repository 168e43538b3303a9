import { describe, expect, it } from 'vitest';
import { step } from '../../src/dialogs/engine.js';
import { DialogState } from '../../src/dialogs/state.js';
import { SILENCE, STAFF_RELEASED } from '../../src/dialogs/transcripts.js';
import { issued, ctxFor, effects, makeCtx, run, text, VALID_ID } from './helpers.js';

describe('menu', () => {
  it('greets and offers the menu on an empty first turn (a call starting)', () => {
    const t = run('voice', ['']);
    const reply = t.turns[0]!.replies[0]!;
    expect(reply.text).toBe(
      '您好，这里是临沂市兰山区社会救助热线12349。请回复数字：1 紧急求助；2 申请救助；3 查询进度；4 政策咨询；0 转人工。也可以直接说您遇到的困难。',
    );
    expect(reply.speech).toContain('紧急求助请按1');
    expect(reply.expect).toEqual({ kind: 'any', maxDigits: 1 });
  });

  it.each([
    ['我想申请低保', 'application', 'name'],
    ['家里着火了', 'emergency', 'where'],
    ['查一下我的申请', 'progress', 'progress_key'],
    ['特困供养需要什么条件', 'enquiry', 'enquiry_answered'],
  ] as const)('free text "%s" → %s', (said, flow, step) => {
    const t = run('sms', [said]);
    expect(t.turns[0]!.state).toMatchObject({ flow, step });
  });

  it('"我想申请低保" keeps the reason and asks for the name next', () => {
    const t = run('sms', ['我想申请低保']);
    expect(t.turns[0]!.state.slots.reason).toBe('我想申请低保');
    expect(text(t.turns[0])).toBe('请问申请人叫什么名字？');
  });

  it('an unclear message is explained, the menu repeated, and after two tries a person offered', () => {
    const t = run('sms', ['你好', '嗯嗯', '啊', '哦']);
    expect(text(t.turns[1])).toMatch(/^没太明白您的意思。\n请回复数字：1 紧急求助/);
    expect(text(t.turns[3])).toBe('没太明白您的意思。您可以回复0转人工。');
  });
});

describe('commands on any turn', () => {
  it('转人工 mid-application: flag, the bot goes quiet, and staff hand back to the same question', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', '转人工', '你好？', STAFF_RELEASED, VALID_ID]);
    const [flag] = effects(t.turns[3], 'flag_duty');
    expect(flag).toEqual({ type: 'flag_duty', kind: 'asked_for_person', urgent: false, reason: '居民要求转人工（申请救助，进行到"身份证号"）' });
    expect(text(t.turns[3])).toContain('好的，马上为您转人工。');
    expect(t.turns[3]!.state).toMatchObject({ flow: 'handover', heldFlow: 'application', step: 'idNumber' });
    expect(t.turns[4]!.replies).toEqual([]);
    expect(text(t.turns[5])).toBe('工作人员已把对话交回给我，我们接着办。\n请告诉我申请人的身份证号（18位）。');
    expect(t.turns[6]!.state.slots.idNumber).toBe(VALID_ID);
  });

  it('on voice the handover dials a duty officer', () => {
    const t = run('voice', ['', '[keys]0']);
    expect(t.turns[1]!.replies[0]).toMatchObject({ dial: true, speech: expect.stringContaining('正在为您转接工作人员') });
    expect(t.turns[1]!.replies[0]!.expect).toBeUndefined();
  });

  it('asking again during handover reassures without a second flag', () => {
    const t = run('sms', ['人工', '找人']);
    expect(effects(t.turns[1], 'flag_duty')).toEqual([]);
    expect(text(t.turns[1])).toBe('已经通知工作人员了，请稍候。');
  });

  it('重来 throws the conversation away and shows the menu', () => {
    const t = run('sms', [`我叫王秀英，身份证${VALID_ID}，想申请低保`, '重来']);
    expect(text(t.turns[1])).toMatch(/^好的，我们重新开始。请回复数字/);
    expect(t.turns[1]!.state).toMatchObject({ flow: 'menu', slots: {} });
  });
});

describe('silence', () => {
  it('first a reminder with the question, then an incomplete case and a callback', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', SILENCE, SILENCE]);
    expect(text(t.turns[3])).toBe('您还在吗？\n请告诉我申请人的身份证号（18位）。');
    expect(t.turns[3]!.effects).toEqual([]);
    const [open] = effects(t.turns[4], 'open_case');
    expect(open).toMatchObject({ caseType: 'application', complete: false, missing: ['idNumber', 'householdSize', 'place', 'phone', 'relation', 'consent'] });
    expect(open!.fields.applicant).toMatchObject({ name: '王秀英', reason: '想申请低保' });
    expect(effects(t.turns[4], 'callback_task')).toEqual([
      { type: 'callback_task', reason: '申请救助中途没有回应，请回电补充身份证号、家庭人口、家庭住址、联系电话、替谁申请、授权核对' },
    ]);
    expect(text(t.turns[4])).toBe('我们先把您说的记下了，工作人员会打电话给您。您也可以随时回复消息或拨打12349接着办。');
    expect(t.state).toMatchObject({ flow: 'application', trackingNumber: issued() });
  });

  it('on voice the first silence says nothing', () => {
    const t = run('voice', ['', '[keys]2', SILENCE]);
    expect(t.turns[2]!.replies).toEqual([]);
    expect(t.turns[2]!.state.remindersSent).toBe(1);
  });

  it('outside a case flow the second silence just ends the conversation', () => {
    const t = run('sms', ['4', SILENCE, SILENCE]);
    expect(t.turns[2]!.effects).toEqual([]);
    expect(t.state?.flow).toBe('closed');
  });
});

describe('resume on another channel', () => {
  it('a dropped call continued by SMS names what is missing and completes the same case', () => {
    const call = run('voice', ['', '[keys]2', '我想申请低保', '我叫王秀英', `[keys]${VALID_ID.replace('X', '*')}#`, SILENCE, SILENCE]);
    expect(effects(call.turns[6], 'open_case')[0]).toMatchObject({ complete: false });

    // "我叫王秀英" asked for the name: applying for herself, so the relation is not among what is missing.
    expect(call.turns[3]!.state.relation).toBe('本人');

    const sms = run('sms', ['你好', '三口人', '枣园镇东鲁村', '是', '同意', '没有', '对'], {
      state: call.state,
      startAt: new Date('2026-11-22T06:00:00Z'),
      firstSequence: 2,
    });
    expect(text(sms.turns[0])).toBe(
      '您上次的申请还差家庭人口、家庭住址、联系电话、授权核对，我们接着办。\n家里一共几口人（户口本上一起生活的）？',
    );
    expect(sms.turns[0]!.state.retries).toEqual({});
    expect(text(sms.turns[4])).toContain('最后问一句');
    const [open] = effects(sms.turns[6], 'open_case');
    // The case opened after the silence is completed, not duplicated.
    expect(open).toMatchObject({ complete: true, trackingNumber: issued(), channel: 'voice' });
    expect(text(sms.turns[6])).toContain(`承办编号：${issued()}`);
    expect(sms.turns[6]!.state).toMatchObject({ originChannel: 'voice', lastChannel: 'sms' });
  });

  it('an SMS application can be finished by phone', () => {
    const sms = run('sms', [`我叫王秀英，身份证${VALID_ID}，家里三口人，想申请低保`]);
    const call = run('voice', ['喂'], { state: sms.state, startAt: new Date('2026-11-22T03:00:00Z') });
    expect(call.turns[0]!.replies[0]!.speech).toMatch(/^您上次的申请还差家庭住址、联系电话、替谁申请、授权核对，我们接着办。/);
  });

  it('after 24 hours a message starts a new conversation', () => {
    const sms = run('sms', ['2', '想申请低保']);
    const later = run('voice', [''], { state: sms.state, startAt: new Date('2026-11-23T03:00:00Z') });
    expect(later.turns[0]!.state).toMatchObject({ flow: 'menu', slots: {}, originChannel: 'voice' });
  });
});

describe('step', () => {
  const at = '2026-11-22T02:00:00Z';

  it('never modifies the state it is given and is deterministic', () => {
    const ctx = makeCtx();
    const first = step(undefined, { kind: 'message', channel: 'sms', text: '我想申请低保', at }, ctx).state;
    const frozen = JSON.stringify(first);
    const input = { kind: 'message', channel: 'sms', text: '我叫王秀英', at } as const;
    const a = step(first, input, ctx);
    const b = step(first, input, ctx);
    expect(JSON.stringify(first)).toBe(frozen);
    expect(a).toEqual(b);
    expect(DialogState.parse(JSON.parse(JSON.stringify(a.state)))).toEqual(JSON.parse(JSON.stringify(a.state)));
  });

  it('a message while a case is being opened is told to wait, not read as an answer', () => {
    const ctx = ctxFor('wecom_app');
    const turns = [`我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村，想申请低保`, '13912345678', '本人', '同意', '没有', '对'];
    let state: DialogState | undefined;
    for (const said of turns) {
      state = step(state, { kind: 'message', channel: 'wecom_app', text: said, at }, ctx).state;
      // The ID number and name are checked against the record once both are known (the runner answers).
      if (state.pendingEffect?.type === 'check_identity') state = step(state, { kind: 'event', event: 'identity_checked', verdict: 'new' }, ctx).state;
    }
    expect(state?.pendingEffect).toEqual({ type: 'open_case', confirmed: true });
    const again = step(state, { kind: 'message', channel: 'wecom_app', text: '对', at }, ctx);
    expect(again.replies).toEqual([{ text: '正在为您办理，请稍候。' }]);
    expect(again.effects).toEqual([]);
  });

  it('an event without a conversation is a caller error', () => {
    expect(() => step(undefined, { kind: 'event', event: 'silence' }, makeCtx())).toThrow('silence event without a conversation');
  });
});
