import { describe, expect, it } from 'vitest';
import { effects, issued, run, text, VALID_ID } from './helpers.js';

/** The progress flow when the resident has no number at hand, or says something other than one. */

const N = issued(4, '20261120');
const EXISTING = [{ trackingNumber: N, phone: '13812341234', idNumber: VALID_ID, statusText: '镇街已入户调查，正在区民政局审批' }];

describe('progress: no number at hand', () => {
  it('"don\'t know" at the number question goes to the other way to search and says where the number is', () => {
    const t = run('sms', ['3', '这个俺真说不上来'], { existingCases: EXISTING });
    const reply = text(t.turns[1]);
    expect(reply).toContain('短信或回执');
    expect(reply).not.toContain('没有认出编号');
    expect(reply).toMatch(/请告诉我申请人身份证号的最后四位。$/);
  });

  it('on a call too: "不清楚" is no failed number', () => {
    const t = run('voice', ['', '[keys]3', '不清楚'], { existingCases: EXISTING });
    expect(text(t.turns[2])).not.toContain('没有认出编号');
    expect(t.turns[2]!.state.step).toBe('progress_last4');
  });

  it('the number found after all is taken at the last-four question', () => {
    const t = run('sms', ['3', '记不得了', `找着了 ${N}`], { existingCases: EXISTING });
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: N }]);
    expect(text(t.turns[2])).toContain('正在区民政局审批');
  });

  it('and at the phone question on WeCom', () => {
    const t = run('wecom_app', ['查询进度', '没收到短信', N], { existingCases: EXISTING });
    expect(text(t.turns[1])).toMatch(/请告诉我申请时留的手机号。$/);
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: N }]);
  });

  it('"don\'t know" at the last-four question too: says why nothing can be looked up and hands over once', () => {
    const t = run('sms', ['3', '没有', '俺也记不住'], { existingCases: EXISTING });
    const reply = text(t.turns[2]);
    expect(reply).toContain('我这里查不到');
    expect(reply).toContain('回电话');
    expect(reply).not.toContain('请告诉我申请人身份证号的最后四位');
    expect(effects(t.turns[2], 'flag_duty')).toEqual([expect.objectContaining({ kind: 'stuck' })]);
    expect(t.turns[2]!.state).toMatchObject({ flow: 'handover', heldFlow: 'progress' });
  });
});

describe('progress: words that are not the number', () => {
  it('impatience is acknowledged and the number asked for again, not "没有认出编号"', () => {
    const t = run('sms', ['3', '能不能快着点 给个痛快话'], { existingCases: EXISTING });
    const reply = text(t.turns[1]);
    expect(reply).not.toContain('没有认出编号');
    expect(reply).toContain('办到哪一步');
    expect(reply).toMatch(/请告诉我承办编号/);
    expect(t.turns[1]!.state.step).toBe('progress_key');
  });

  it('"how long" with a small number in it is no wrong number', () => {
    const t = run('sms', ['3', '到底还得等几天啊 俺都等了15天了'], { existingCases: EXISTING });
    expect(text(t.turns[1])).not.toContain('没有认出编号');
    expect(text(t.turns[1])).toMatch(/请告诉我承办编号/);
  });

  it('no news at the last-four question is no "don\'t know": acknowledged and asked again, no hand-over', () => {
    const t = run('sms', ['3', '没有', '都等了俩礼拜了也没个消息'], { existingCases: EXISTING });
    expect(effects(t.turns[2], 'flag_duty')).toEqual([]);
    expect(text(t.turns[2])).toMatch(/请告诉我申请人身份证号的最后四位。$/);
  });

  it('a question back is answered by the repair policy and the pending question asked again', () => {
    const t = run('sms', ['3', '没有', '还要等多久？'], { existingCases: EXISTING });
    expect(text(t.turns[2])).toContain('审核审批一般在');
    expect(text(t.turns[2])).toMatch(/请告诉我申请人身份证号的最后四位。$/);
  });

  it('a number that is not one still gets "没有认出编号"', () => {
    const t = run('sms', ['3', '2611 2021'], { existingCases: EXISTING });
    expect(text(t.turns[1])).toContain('没有认出编号');
  });
});
