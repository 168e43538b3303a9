import { describe, expect, it } from 'vitest';
import type { Channel, Reply } from '../../src/domain/messages.js';
import { step } from '../../src/dialogs/engine.js';
import { issued, effects, makeCtx, run, text, VALID_ID } from './helpers.js';

/** The same conversations on every channel: what differs is only the rendering. */
const CHANNELS = ['sms', 'voice', 'wecom_app'] as const satisfies readonly Channel[];

function shapeFor(channel: Channel, replies: Reply[]): void {
  if (channel === 'voice') {
    expect(replies).toHaveLength(1);
    expect(replies[0]!.speech).toBeTruthy();
    expect(replies[0]!.speech).not.toMatch(/\d{3}/);
  } else {
    for (const r of replies) expect(Object.keys(r)).toEqual(['text']);
    if (channel === 'sms') for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(300);
  }
}

describe.each(CHANNELS)('on %s', (channel) => {
  const phoneAnswer = channel === 'wecom_app' ? '13812341234' : '是';

  it('one-message application to receipt', () => {
    const t = run(channel, [`我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村3组12号，想申请低保`, phoneAnswer, '1', '同意', '没有', '对']);
    for (const turn of t.turns) shapeFor(channel, turn.replies);
    expect(text(t.turns[3])).toContain('最后问一句：眼下家里有没有人有危险');
    expect(text(t.turns[4])).toContain('家庭住址：枣园镇东鲁村3组12号');
    expect(effects(t.turns[5], 'open_case')[0]!.fields.applicant).toMatchObject({
      name: '王秀英',
      idNumber: VALID_ID,
      householdSize: 3,
      townshipCode: 'zaoyuan',
      villageCode: 'donglu',
      address: '东鲁村3组12号',
      phone: '13812341234',
      relation: '本人',
    });
    expect(text(t.turns[5])).toContain(`承办编号：${issued()}`);
  });

  it('emergency with life danger', () => {
    const t = run(channel, ['煤气泄漏了，老人晕倒了']);
    shapeFor(channel, t.turns[0]!.replies);
    expect(text(t.turns[0])).toContain('119（火警）、120（急救）或110（报警）');
    expect(effects(t.turns[0], 'flag_duty')[0]).toMatchObject({ urgent: true, lifeDanger: true });
  });

  it('progress by tracking number', () => {
    const t = run(channel, ['3', '202611010007'], {
      existingCases: [{ trackingNumber: '202611010007', statusText: '已批准，下月起发放', nextDate: '2026-12-01' }],
    });
    shapeFor(channel, t.turns[1]!.replies);
    expect(text(t.turns[1])).toContain('已批准，下月起发放，预计12月1日前有下一步结果');
  });

  it('enquiry then application', () => {
    const t = run(channel, ['4', '医疗救助', '1']);
    for (const turn of t.turns) shapeFor(channel, turn.replies);
    expect(t.turns[2]!.state).toMatchObject({ flow: 'application', step: 'reason', categories: ['medical'] });
  });

  it('handover', () => {
    const t = run(channel, ['2', '0']);
    shapeFor(channel, t.turns[1]!.replies);
    expect(effects(t.turns[1], 'flag_duty')[0]).toMatchObject({ kind: 'asked_for_person' });
    expect(t.turns[1]!.replies[0]!.dial).toBe(channel === 'voice' ? true : undefined);
  });
});

describe('speech recognition confidence', () => {
  it('a low-confidence answer that fails is "没听清", not "wrong"', () => {
    const ctx = makeCtx();
    const at = '2026-11-22T02:00:00Z';
    const asked = step(undefined, { kind: 'message', channel: 'voice', text: '我想申请低保', at }, ctx).state;
    const r = step(asked, { kind: 'message', channel: 'voice', text: '嗯那个', speechConfidence: 0.2, at }, ctx);
    expect(r.replies[0]!.text).toBe('没听清楚，请再说一遍，也可以用电话按键输入。');
    expect(r.state.retries.name).toBe(1);
  });
});
