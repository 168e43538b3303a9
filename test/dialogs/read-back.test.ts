import { describe, expect, it } from 'vitest';
import { effects, run, text } from './helpers.js';

const TO_READ_BACK = ['我叫王秀英，身份证11010519491231002X，家里三口人，住枣园镇东鲁村，想申请低保', '是', '1', '同意', '没有'];

describe('at the read-back', () => {
  it('"没错了" says nothing is wrong: the application is submitted', () => {
    const t = run('sms', [...TO_READ_BACK, '没错了']);
    expect(text(t.turns[4])).toContain('请核对您的申请');
    expect(effects(t.turns[5], 'open_case')).toHaveLength(1);
  });

  it('"不对" with no item named is asked about twice, then the repair policy offers a person and hands over', () => {
    const t = run('sms', [...TO_READ_BACK, '不对', '不对', '不对', '不对']);
    const replies = t.turns.slice(5).map((turn) => text(turn));
    expect(replies.filter((r) => r.includes('请直接告诉我哪一项不对'))).toHaveLength(2);
    expect(replies[2]).toContain('转人工');
    expect(t.turns[8]!.state.flow).toBe('handover');
  });
});
