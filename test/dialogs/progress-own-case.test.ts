import { describe, expect, it } from 'vitest';
import { intentOf } from '../../src/dialogs/intent.js';
import type { Said } from '../../src/dialogs/flow-turn.js';
import { readActs } from '../../src/dialogs/understand/acts.js';
import { normalizeUtterance } from '../../src/dialogs/understand/index.js';
import { detectUrgency } from '../../src/routing/urgency.js';
import { effects, issued, makeCtx, run, text, VALID_ID } from './helpers.js';

/**
 * Asking after one's own earlier application in roundabout words (no "进度", no number), and the progress flow when
 * the resident has the number somewhere but not at hand yet.
 */

function intent(raw: string) {
  const t = normalizeUtterance(raw);
  const said: Said = { text: t, channel: 'sms', at: '2026-11-22T02:00:00Z', unsure: false, urgency: detectUrgency(t), alarmed: false, acts: readActs(t) };
  return intentOf(said, makeCtx());
}

describe('intentOf: something already filed, and what became of it', () => {
  it.each([
    '俺前些天交的那个医疗救助，到现在还没个消息',
    '老伴的特困供养报了以后一点动静都没有',
    '去年冬天申请的住房救助咋还没点音信',
  ])('no news yet, said with a measure word: "%s"', (t) => {
    expect(intent(t)).toBe('progress');
  });

  it.each([
    '上回申请的残疾人补贴，钱什么时候能到',
    '我娘的高龄津贴报上去了，啥时候能领',
    '之前办的临时救助，补助咋还没打过来，钱还没到',
    '医疗救助都过去一个多月了，钱啥时候给',
  ])('when the money comes, of something filed: "%s"', (t) => {
    expect(intent(t)).toBe('progress');
  });

  it.each([
    '社区说材料已经递到街道上了，咋还没动静',
    '网格员帮俺报到镇里去了，到现在也没人来',
  ])('passed up by the village or community, and no news since: "%s"', (t) => {
    expect(intent(t)).toBe('progress');
  });

  it.each(['想咨询一下，俺家那个危房改造审到哪了', '我想了解下我那个申请现在办到哪了'])(
    '"了解/咨询" only says the resident is asking; what is asked is their own case: "%s"',
    (t) => {
      expect(intent(t)).toBe('progress');
    },
  );

  it.each([
    '我想申请临时救助，钱啥时候能打到卡上',
    '以前申请过低保没批下来，今年家里更难了，想再申请一次',
    '老伴瘫在床上了，想给他办个残疾人补贴，啥时候能发',
  ])('a new application, even one asking when money comes, stays an application: "%s"', (t) => {
    expect(intent(t)).toBe('application');
  });

  it.each(['我想了解一下临时救助', '咨询一下医疗救助'])('a bare "了解/咨询" of an assistance is still an enquiry: "%s"', (t) => {
    expect(intent(t)).toBe('enquiry');
  });
});

const N = issued(4, '20261120');
const EXISTING = [{ trackingNumber: N, phone: '13812341234', idNumber: VALID_ID, statusText: '镇街已入户调查，正在区民政局审批' }];

describe('progress: the number is somewhere, not at hand yet', () => {
  it('a resident still looking is given time, and the number found next is looked up', () => {
    const t = run('sms', ['3', '等一下啊，我去翻翻抽屉，也不知道塞哪了', `有了 ${N}`], { existingCases: EXISTING });
    expect(text(t.turns[1])).toContain('慢慢找');
    expect(t.turns[1]!.state.step).toBe('progress_key');
    expect(effects(t.turns[1], 'flag_duty')).toEqual([]);
    expect(effects(t.turns[2], 'lookup_progress')).toEqual([{ type: 'lookup_progress', trackingNumber: N }]);
  });

  it('about to ask whoever has it: "记不住" beside it is no "none" yet', () => {
    const t = run('sms', ['3', '号记不住，回头我打电话问问我孙女'], { existingCases: EXISTING });
    expect(text(t.turns[1])).toContain('慢慢找');
    expect(t.turns[1]!.state.step).toBe('progress_key');
  });

  it('asking what number is meant gets where the number is, and the same question, not the other way to search', () => {
    const t = run('voice', ['', '[keys]3', '什么编号？我不懂'], { existingCases: EXISTING });
    const reply = text(t.turns[2]);
    expect(reply).toContain('12位数字');
    expect(reply).not.toContain('最后四位');
    expect(t.turns[2]!.state.step).toBe('progress_key');
  });

  it('filed by someone else: the number is with whoever filed it, asked once more before searching by phone', () => {
    const t = run('wecom_app', ['查询进度', '俺没有号，是俺儿子给弄的', '没有'], { existingCases: EXISTING });
    expect(text(t.turns[1])).toContain('问问他们');
    expect(t.turns[1]!.state.step).toBe('progress_key');
    expect(t.turns[2]!.state.step).toBe('progress_phone');
  });

  it('"我给我妈申请的" names whom it was for: "没有编号" there goes straight to the other way to search', () => {
    const t = run('sms', ['3', '没有编号，我给我妈申请的'], { existingCases: EXISTING });
    expect(t.turns[1]!.state.step).toBe('progress_last4');
  });

  it('"等一下，我没有编号" says none, and asking us to look is no looking', () => {
    expect(run('sms', ['3', '等一下，我没有编号'], { existingCases: EXISTING }).turns[1]!.state.step).toBe('progress_last4');
    expect(text(run('sms', ['3', '恁给俺找找吧'], { existingCases: EXISTING }).turns[1])).not.toContain('慢慢找');
  });

  it('waiting is bounded: the third "I am looking" is read as it stands', () => {
    const t = run('sms', ['3', '俺找找', '还在找呢 等会儿', '找一下 不知道放哪了'], { existingCases: EXISTING });
    expect(text(t.turns[2])).toContain('慢慢找');
    expect(text(t.turns[3])).not.toContain('慢慢找');
    expect(t.turns[3]!.state.step).toBe('progress_last4');
  });
});
