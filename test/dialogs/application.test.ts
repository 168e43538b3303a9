import { describe, expect, it } from 'vitest';
import { BAD_CHECKSUM_ID, effects, last, run, text, VALID_ID } from './helpers.js';

const ONE_MESSAGE = `我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村，想申请低保`;
const EXPECTED_SLOTS = {
  name: '王秀英',
  idNumber: VALID_ID,
  householdSize: 3,
  townshipCode: 'zaoyuan',
  villageCode: 'donglu',
  reason: '想申请低保',
};

describe('one-message application', () => {
  it('sms: fills every slot from the first message, then asks only phone, relation and consent', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '对']);
    expect(t.turns[0]!.state.flow).toBe('application');
    expect(t.turns[0]!.state.slots).toEqual(EXPECTED_SLOTS);
    expect(text(t.turns[0])).toBe('是否用您现在这个号码 138****1234 联系？请回复"是"，或直接输入其他号码。');
    expect(text(t.turns[1])).toContain('您是为自己申请，还是替别人申请？');
    expect(text(t.turns[2])).toContain('授权民政部门依法查询');
    const summary = text(t.turns[3]);
    expect(summary).toContain('请核对您的申请');
    expect(summary).toContain('身份证号：110***********002X');
    expect(summary).toContain('联系电话：138****1234');
    expect(summary).toContain('家庭住址：枣园镇东鲁村');
    expect(summary).toContain('家庭人口：3人');
    expect(summary).toContain('授权核对：同意');

    const [open] = effects(t.turns[4], 'open_case');
    expect(open).toMatchObject({
      caseType: 'application',
      complete: true,
      missing: [],
      channel: 'sms',
      fields: {
        applicant: { ...EXPECTED_SLOTS, phone: '13812341234', relation: '本人' },
        consent: { given: true, at: '2026-11-22T02:01:30.000Z', channel: 'sms' },
      },
      categoriesHint: ['minimum_living'],
    });
    expect(text(t.turns[4])).toContain('承办编号：202611220001');
    expect(text(t.turns[4])).toContain('枣园镇社会救助窗口会在2个工作日内联系您');
    expect(text(t.turns[4])).toContain('20个工作日');
    expect(t.state?.flow).toBe('closed');
    expect(t.state?.trackingNumber).toBe('202611220001');
  });

  it('wecom_app: no caller number, so the phone is asked for', () => {
    const t = run('wecom_app', [ONE_MESSAGE, '13912345678', '本人', '同意']);
    expect(text(t.turns[0])).toBe('请告诉我联系电话（手机号11位，座机请加区号）。');
    expect(t.turns[1]!.state.slots.phone).toBe('13912345678');
    expect(text(t.turns[3])).toContain('联系电话：139****5678');
    expect(t.turns[3]!.replies).toEqual([{ text: expect.stringContaining('请核对您的申请') }]);
  });

  it('voice: the ID question carries the keypad hint and the read-back speaks only number tails', () => {
    const t = run('voice', ['', '2', '老伴瘫痪在床，家里没有收入', '王秀英', `[keys]${VALID_ID.replace('X', '*')}#`]);
    const idQuestion = t.turns[3]!.replies[0]!;
    expect(idQuestion.speech).toContain('身份证号');
    expect(idQuestion.expect).toEqual({ kind: 'any', keypadHint: '请用电话按键输入身份证号，X用星号代替，输完按井号键', finishOnKey: '#' });
    expect(t.turns[4]!.state.slots.idNumber).toBe(VALID_ID);
    expect(t.turns[2]!.state.slots.reason).toBe('老伴瘫痪在床，家里没有收入');

    const rest = run('voice', ['[keys]3#', '枣园镇东鲁村', '[keys]1', '[keys]1', '[keys]1'], { state: t.state });
    const summary = rest.turns[4]!.replies[0]!;
    expect(summary.speech).toContain('身份证号：尾号0 0 2 X');
    expect(summary.speech).toContain('联系电话：尾号1 2 3 4');
    expect(summary.speech).not.toContain('*');
    expect(summary.expect).toEqual({ kind: 'any', maxDigits: 1, keypadHint: '没问题请按1' });
  });

  it('understands traditional characters', () => {
    const t = run('sms', [`我叫王秀英，身份證${VALID_ID}，家裡三口人，住棗園鎮東魯村，想申請低保`]);
    expect(t.turns[0]!.state.slots).toEqual(EXPECTED_SLOTS);
  });
});

describe('step by step', () => {
  it('asks each missing item in order and fills several from one answer', () => {
    const t = run('sms', ['2', '儿子出车祸住院了，家里没钱', '我叫李建国，家里四口人', VALID_ID, '半程镇河庄村', '13912345678', '替我儿子申请的', '同意']);
    expect(text(t.turns[0])).toBe('请简单说说家里遇到了什么困难，想申请什么帮助？');
    expect(text(t.turns[1])).toBe('请问申请人叫什么名字？');
    expect(t.turns[1]!.state.slots.reason).toBe('儿子出车祸住院了，家里没钱');
    // Name and household size together: the household question is never asked.
    expect(t.turns[2]!.state.slots).toMatchObject({ name: '李建国', householdSize: 4 });
    expect(text(t.turns[2])).toContain('身份证号');
    expect(text(t.turns[3])).toContain('哪个镇（街道）');
    expect(text(t.turns[4])).toContain('是否用您现在这个号码');
    // A different number typed at the confirmation replaces the caller's.
    expect(t.turns[5]!.state.slots.phone).toBe('13912345678');
    expect(t.turns[6]!.state.relation).toBe('家属');
    expect(text(t.turns[7])).toContain('申请方式：家属代为申请');
  });

  it('asks for the village when only the township is given', () => {
    const t = run('sms', [ONE_MESSAGE.replace('住枣园镇东鲁村，', ''), '在银雀山', '孝友社区']);
    expect(text(t.turns[1])).toBe('住在银雀山街道哪个村（社区）？也可以说详细地址。');
    expect(t.turns[2]!.state.slots).toMatchObject({ townshipCode: 'yinqueshan', villageCode: 'xiaoxi' });
  });

  it('declining the caller number asks for another', () => {
    const t = run('sms', [ONE_MESSAGE, '不是', '13912345678']);
    expect(text(t.turns[1])).toContain('请告诉我联系电话');
    expect(t.turns[2]!.state.slots.phone).toBe('13912345678');
  });
});

describe('corrections', () => {
  it('at the summary: "不对，是四口人" updates and re-reads the summary', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '不对，是四口人', '对']);
    const reread = text(t.turns[4]);
    expect(reread).toMatch(/^好的，已更正：家庭人口：4人。/);
    expect(reread).toContain('请核对您的申请');
    expect(t.turns[4]!.state.slots.householdSize).toBe(4);
    expect(t.turns[4]!.effects).toEqual([]);
    expect(effects(t.turns[5], 'open_case')[0]!.fields.applicant.householdSize).toBe(4);
  });

  it('mid-flow: a corrected name is acknowledged and the current question asked again', () => {
    const t = run('sms', [ONE_MESSAGE, '我叫王秀云']);
    expect(t.turns[1]!.state.slots.name).toBe('王秀云');
    expect(text(t.turns[1])).toContain('好的，已更正：姓名：王秀云。');
    expect(text(t.turns[1])).toContain('是否用您现在这个号码');
  });

  it('at the summary a plain "不对" asks which item is wrong', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '不对']);
    expect(text(t.turns[4])).toContain('请直接告诉我哪一项不对');
    expect(t.turns[4]!.state.step).toBe('summary');
  });
});

describe('ID number errors', () => {
  it('not knowing the ID number moves on: staff verify it later', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', '记不清了，身份证没带在身上']);
    expect(text(t.turns[3])).toContain('这一项先跳过');
    expect(text(t.turns[3])).toContain('家里一共几口人');
    expect(t.turns[3]!.state.skipped).toEqual(['idNumber']);
    expect(effects(t.turns[3], 'callback_task')).toEqual([{ type: 'callback_task', reason: '居民跳过了"身份证号"，请回电补充' }]);
  });

  it('explains each error, re-prompts twice, then offers a person or skipping; 跳过 creates a callback', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', BAD_CHECKSUM_ID, '1101051949123100', '11010519491', '跳过']);
    expect(text(t.turns[3])).toBe('身份证号最后一位校验不对，请再核对一下。\n请告诉我申请人的身份证号（18位）。');
    // Second re-prompt: the question in other words, not the same prompt again.
    expect(text(t.turns[4])).toBe('身份证号应为18位，您输入了16位。\n身份证号是18位，在身份证正面最下面一行，可以分几段说；记不清也可以回复"记不清"，工作人员以后核实。');
    // Third failure: no third re-prompt, the offer instead.
    expect(text(t.turns[5])).toContain('您可以回复"跳过"，稍后由工作人员打电话跟您补充；也可以回复0转人工。');
    expect(text(t.turns[5])).not.toContain('请告诉我申请人的身份证号');
    expect(t.turns[5]!.state.retries.idNumber).toBe(3);

    expect(effects(t.turns[6], 'callback_task')).toEqual([{ type: 'callback_task', reason: '居民跳过了"身份证号"，请回电补充' }]);
    expect(text(t.turns[6])).toContain('家里一共几口人');
    expect(t.turns[6]!.state.skipped).toEqual(['idNumber']);
  });

  it('a wrong ID inside the first message is explained and asked for at once', () => {
    const t = run('sms', [ONE_MESSAGE.replace(VALID_ID, BAD_CHECKSUM_ID)]);
    expect(text(t.turns[0])).toContain('身份证号最后一位校验不对');
    expect(t.turns[0]!.state.step).toBe('idNumber');
    expect(t.turns[0]!.state.slots).toMatchObject({ name: '王秀英', householdSize: 3, townshipCode: 'zaoyuan' });
  });

  it('after the offer, 0 hands over to a person', () => {
    const t = run('wecom_app', ['2', '想申请低保', '王秀英', '123', '456', '789', '0']);
    const [flag] = effects(t.turns[6], 'flag_duty');
    expect(flag).toMatchObject({ kind: 'asked_for_person', urgent: false });
    expect(flag!.reason).toContain('进行到"身份证号"');
    expect(t.state?.flow).toBe('handover');
  });

  it('a fourth failure hands over as stuck instead of looping', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', '123', '456', '789', '000']);
    expect(effects(t.turns[6], 'flag_duty')).toEqual([
      expect.objectContaining({ kind: 'stuck', reason: expect.stringContaining('多次没能回答"身份证号"') }),
    ]);
    expect(text(t.turns[6])).toContain('我请工作人员来帮您');
  });

  it('a skipped slot leaves the case incomplete and the read-back says staff will call', () => {
    const t = run('sms', [ONE_MESSAGE.replace(`身份证${VALID_ID}，`, ''), '跳过', '是', '1', '同意', '对']);
    expect(text(t.turns[4])).toContain('身份证号：（跳过，工作人员回电补充）');
    const [open] = effects(t.turns[5], 'open_case');
    expect(open).toMatchObject({ complete: false, missing: ['idNumber'] });
    expect(text(t.turns[5])).toContain('还差的信息，工作人员会打电话跟您核实');
  });
});

describe('consent', () => {
  it('"不同意" is recorded with time and channel and the application goes on', () => {
    const t = run('wecom_app', [ONE_MESSAGE, '13912345678', '本人', '不同意', '对']);
    expect(text(t.turns[3])).toContain('已记下您不同意授权。申请照样提交');
    expect(t.turns[3]!.state.consent).toEqual({ given: false, at: '2026-11-22T02:01:30.000Z', channel: 'wecom_app' });
    expect(text(t.turns[3])).toContain('授权核对：不同意');
    const [open] = effects(t.turns[4], 'open_case');
    expect(open!.fields.consent).toEqual({ given: false, at: '2026-11-22T02:01:30.000Z', channel: 'wecom_app' });
    expect(open!.complete).toBe(true);
  });

  it('on voice the consent question offers the keypad', () => {
    const t = run('voice', [ONE_MESSAGE, '[keys]1', '[keys]1']);
    expect(last(t.turns[2]!.replies).expect).toEqual({ kind: 'any', maxDigits: 1, keypadHint: '同意请按1，不同意请按2' });
  });
});

describe('place', () => {
  it('within a known township, an unlisted village is kept as the address', () => {
    const t = run('sms', [`我叫王秀英，身份证${VALID_ID}，家里三口人，想申请低保`, '方城镇', '后朱村5组']);
    expect(text(t.turns[1])).toBe('住在方城镇哪个村（社区）？也可以说详细地址。');
    expect(t.turns[2]!.state.slots).toMatchObject({ townshipCode: 'fangcheng', address: '后朱村5组' });
    expect(t.turns[2]!.state.slots.villageCode).toBeUndefined();
  });

  it('an unknown place is explained and asked again', () => {
    const t = run('sms', [`我叫王秀英，身份证${VALID_ID}，家里三口人，想申请低保`, '城里']);
    expect(text(t.turns[1])).toBe(
      '没有找到这个地方。请说镇（街道）和村（社区）的名字，比如"枣园镇东鲁村"。\n请问住在哪个镇（街道）、哪个村（社区）？比如"枣园镇东鲁村"。',
    );
    expect(t.turns[1]!.state.retries.place).toBe(1);
  });
});
