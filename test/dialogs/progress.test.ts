import { describe, expect, it } from 'vitest';
import { issued, effects, run, text, VALID_ID } from './helpers.js';

const EXISTING = [
  { trackingNumber: '202611010007', phone: '13812341234', idNumber: VALID_ID, statusText: '镇街已入户调查，正在区民政局审批', nextDate: '2026-12-04' },
];

describe('progress', () => {
  it('by tracking number in the first message', () => {
    const t = run('sms', ['查一下我的申请 202611010007'], { existingCases: EXISTING });
    expect(effects(t.turns[0], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: '202611010007' }]);
    expect(text(t.turns[0])).toContain('承办编号202611010007：镇街已入户调查，正在区民政局审批，预计12月4日前有下一步结果。');
    expect(t.state?.flow).toBe('closed');
    expect(t.state?.pendingEffect).toBeUndefined();
  });

  it('by the caller phone and the last four ID characters', () => {
    const t = run('sms', ['3', '没有', '002x'], { existingCases: EXISTING });
    expect(text(t.turns[0])).toContain('请告诉我承办编号');
    expect(text(t.turns[1])).toMatch(/^没关系。承办编号在申请后收到的短信或回执上.*\n请告诉我申请人身份证号的最后四位。$/);
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', phone: '13812341234', idLast4: '002X' }]);
    expect(text(t.turns[2])).toContain('镇街已入户调查');
  });

  it('on WeCom the phone is asked for first', () => {
    const t = run('wecom_app', ['查询进度', '不知道编号', '13812341234', '002X'], { existingCases: EXISTING });
    expect(text(t.turns[1])).toMatch(/\n请告诉我申请时留的手机号。$/);
    expect(effects(t.turns[3], 'lookup_progress')[0]).toMatchObject({ phone: '13812341234', idLast4: '002X' });
  });

  it('on voice a keyed number without letters is looked up', () => {
    const t = run('voice', ['', '[keys]3', '[keys]202611010007#'], { existingCases: EXISTING });
    expect(t.turns[1]!.replies[0]!.expect).toMatchObject({ keypadHint: '请用电话按键输入编号里的数字，输完按井号键' });
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: '202611010007' }]);
    expect(t.turns[2]!.replies[0]!.speech).toContain('承办编号2 0 2 6，1 1 0 1，0 0 0 7');
  });

  it('nothing found: says so and offers a person', () => {
    const t = run('sms', ['3', '202601010001', '0']);
    expect(text(t.turns[1])).toContain('没有查到您的申请记录');
    expect(text(t.turns[1])).toContain('请回复0转人工');
    expect(effects(t.turns[2], 'flag_duty')[0]).toMatchObject({ kind: 'asked_for_person', reason: expect.stringContaining('查询进度') });
  });

  it('an application finished in the same run can be found by phone and last four', () => {
    const t = run('sms', [`我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村，想申请低保`, '是', '1', '同意', '没有', '对', '3', '没有', '002X']);
    expect(text(t.turns[8])).toContain(`承办编号${issued()}：已受理，镇街正在入户核实`);
  });
});
