import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY_CODES } from '../../src/domain/categories.js';
import { loadPolicies } from '../../src/dialogs/policies.js';
import { policies, run, text } from './helpers.js';

describe('policy enquiry', () => {
  it('the same programme named again after its answer means the resident wants it, not the answer again', () => {
    const t = run('sms', ['请问高龄津贴怎么申请？我母亲今年八十一了', '高龄津贴']);
    expect(text(t.turns[0])).toContain('【困难老年人】');
    expect(text(t.turns[1])).toContain('好的，我们开始申请');
    expect(t.turns[1]!.state).toMatchObject({ flow: 'application', categories: ['elderly'] });
  });

  it('answers who qualifies, what to bring and how long, then starts an application on 1', () => {
    const t = run('sms', ['4', '低保', '1', '老伴常年吃药，没有收入']);
    expect(text(t.turns[0])).toContain('您想了解哪类救助？');
    const answer = text(t.turns[1]);
    expect(answer).toContain('【低保】谁能申请：家庭人均收入低于兰山区低保标准');
    expect(answer).toContain('要带什么：身份证、户口本');
    expect(answer).toContain('多长时间：镇街受理后入户调查，区民政局20个工作日内审批。');
    expect(answer).toContain('回复1开始申请');
    expect(text(t.turns[2])).toBe('好的，我们开始申请低保。\n请简单说说家里遇到了什么困难，想申请什么帮助？');
    expect(t.turns[2]!.state).toMatchObject({ flow: 'application', categories: ['minimum_living'] });
    expect(t.turns[3]!.state.slots.reason).toBe('老伴常年吃药，没有收入');
  });

  it('a question in free text goes straight to the answer; naming another category answers that one', () => {
    const t = run('wecom_app', ['残疾人补贴要什么条件', '那医疗救助怎么申请']);
    expect(text(t.turns[0])).toContain('【残疾人补贴】');
    expect(text(t.turns[1])).toContain('【医疗救助】');
    expect(t.turns[1]!.state).toMatchObject({ flow: 'enquiry', enquiryCategory: 'medical' });
  });

  it('voice: a short spoken answer with a one-key choice', () => {
    const t = run('voice', ['', '[keys]4', '临时救助']);
    const reply = t.turns[2]!.replies[0]!;
    expect(reply.speech).toContain('临时救助：');
    expect(reply.speech).toContain('开始申请请按1');
    expect(reply.speech).not.toContain('要带什么');
    expect(reply.expect).toEqual({ kind: 'any', maxDigits: 1 });
  });

  it('an unknown category is explained and asked again', () => {
    const t = run('sms', ['4', '彩票']);
    expect(text(t.turns[1])).toBe('没找到这类救助。\n您想了解哪类救助？比如低保、特困供养、临时救助、医疗救助、住房救助、残疾人补贴，直接说名称就行。');
  });
});

describe('policy data', () => {
  it('covers all 17 categories once, each with a short answer', () => {
    expect(policies.categories.map((c) => c.code).sort()).toEqual([...CATEGORY_CODES].sort());
    for (const c of policies.categories) {
      for (const field of [c.who, c.bring, c.howLong]) expect(field.length).toBeLessThan(80);
    }
  });

  it('loadPolicies rejects a file missing a category', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policies-'));
    const path = join(dir, 'partial.json');
    await writeFile(path, JSON.stringify({ county: 'x', categories: policies.categories.slice(1) }));
    await expect(loadPolicies(path)).rejects.toThrow(/minimum_living.{0,4} must appear once, found 0/);
    const full = join(dir, 'full.json');
    await writeFile(full, JSON.stringify(policies));
    await expect(loadPolicies(full)).resolves.toEqual(policies);
  });
});
