import { describe, expect, it } from 'vitest';
import type { UrgencyVerdict } from '../../src/dialogs/context.js';
import { issued, BAD_CHECKSUM_ID, ctxFor, effects, last, run, text, VALID_ID } from './helpers.js';

const ONE_MESSAGE = `我叫王秀英，身份证${VALID_ID}，家里三口人，住枣园镇东鲁村，想申请低保`;
const EXPECTED_SLOTS = {
  name: '王秀英',
  idNumber: VALID_ID,
  householdSize: 3,
  townshipCode: 'zaoyuan',
  villageCode: 'donglu',
  reason: '想申请低保',
};
/** Asked of every application after its last item, before the read-back. */
const ROUTINE_SAFETY = '最后问一句：眼下家里有没有人有危险（受伤、急病没人管、被打、想不开），或者今晚没吃的、没地方住？没有就回复"没有"。';
const ROUTINE_SAFETY_SPEECH = '最后问一句：眼下家里有没有人有危险，或者今晚没吃的、没地方住？有请说有，没有请说没有。';

describe('one-message application', () => {
  it('sms: fills every slot from the first message, then asks only phone, relation, consent and the routine safety question', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '对']);
    expect(t.turns[0]!.state.flow).toBe('application');
    expect(t.turns[0]!.state.slots).toEqual(EXPECTED_SLOTS);
    expect(text(t.turns[0])).toBe('是否用您现在这个号码 138****1234 联系？请回复"是"，或直接输入其他号码。');
    expect(text(t.turns[1])).toContain('您是为自己申请，还是替别人申请？');
    expect(text(t.turns[2])).toContain('授权民政部门依法查询');
    expect(text(t.turns[3])).toBe(ROUTINE_SAFETY);
    expect(t.turns[3]!.state.step).toBe('safety');
    const summary = text(t.turns[4]);
    expect(summary).toMatch(/^好的。\n请核对您的申请/);
    expect(summary).toContain('身份证号：110***********002X');
    expect(summary).toContain('联系电话：138****1234');
    expect(summary).toContain('家庭住址：枣园镇东鲁村');
    expect(summary).toContain('家庭人口：3人');
    expect(summary).toContain('授权核对：同意');

    const [open] = effects(t.turns[5], 'open_case');
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
    expect(text(t.turns[5])).toContain(`承办编号：${issued()}`);
    expect(text(t.turns[5])).toContain('枣园镇社会救助窗口会在2个工作日内联系您');
    expect(text(t.turns[5])).toContain('20个工作日');
    // "没有" to the routine question flags no one.
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    expect(t.state?.flow).toBe('closed');
    expect(t.state?.trackingNumber).toBe(issued());
  });

  it('wecom_app: no caller number, so the phone is asked for', () => {
    const t = run('wecom_app', [ONE_MESSAGE, '13912345678', '本人', '同意', '没有']);
    expect(text(t.turns[0])).toBe('请告诉我联系电话（手机号11位，座机请加区号）。');
    expect(t.turns[1]!.state.slots.phone).toBe('13912345678');
    expect(t.turns[3]!.replies).toEqual([{ text: ROUTINE_SAFETY }]);
    expect(text(t.turns[4])).toContain('联系电话：139****5678');
    expect(t.turns[4]!.replies).toEqual([{ text: expect.stringContaining('请核对您的申请') }]);
  });

  it('voice: the ID question carries the keypad hint and the read-back speaks only number tails', () => {
    const t = run('voice', ['', '2', '老伴瘫痪在床，家里没有收入', '王秀英', `[keys]${VALID_ID.replace('X', '*')}#`]);
    const idQuestion = t.turns[3]!.replies[0]!;
    expect(idQuestion.speech).toContain('身份证号');
    expect(idQuestion.expect).toEqual({ kind: 'any', keypadHint: '请用电话按键输入身份证号，X用星号代替，输完按井号键', finishOnKey: '#' });
    expect(t.turns[4]!.state.slots.idNumber).toBe(VALID_ID);
    expect(t.turns[2]!.state.slots.reason).toBe('老伴瘫痪在床，家里没有收入');

    const rest = run('voice', ['[keys]3#', '枣园镇东鲁村', '[keys]1', '[keys]1', '[keys]1', '[keys]2'], { state: t.state });
    // The routine safety question is spoken, with the keypad: 2 is no.
    const safety = rest.turns[4]!.replies[0]!;
    expect(safety.speech).toBe(ROUTINE_SAFETY_SPEECH);
    expect(safety.expect).toEqual({ kind: 'any', maxDigits: 1, keypadHint: '有请按1，没有请按2' });
    expect(rest.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    const summary = rest.turns[5]!.replies[0]!;
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
    const t = run('sms', ['2', '儿子出车祸住院了，家里没钱', '我叫李建国，家里四口人', VALID_ID, '半程镇河庄村', '13912345678', '同意', '没有']);
    expect(text(t.turns[0])).toBe('请简单说说家里遇到了什么困难，想申请什么帮助？');
    expect(text(t.turns[1])).toBe('请问申请人叫什么名字？');
    expect(t.turns[1]!.state.slots.reason).toBe('儿子出车祸住院了，家里没钱');
    // Name and household size together: the household question is never asked.
    expect(t.turns[2]!.state.slots).toMatchObject({ name: '李建国', householdSize: 4 });
    // Asked the applicant's name, "我叫…" names the speaker: applying for himself, so the relation question is never asked.
    expect(t.turns[2]!.state.relation).toBe('本人');
    expect(text(t.turns[2])).toContain('身份证号');
    expect(text(t.turns[3])).toContain('哪个镇（街道）');
    expect(text(t.turns[4])).toContain('是否用您现在这个号码');
    // A different number typed at the confirmation replaces the caller's.
    expect(t.turns[5]!.state.slots.phone).toBe('13912345678');
    expect(text(t.turns[5])).toContain('授权民政部门依法查询');
    expect(text(t.turns[6])).toBe(ROUTINE_SAFETY);
    expect(text(t.turns[7])).toContain('申请方式：本人申请');
    expect(t.turns.map((turn) => text(turn)).join('\n')).not.toContain('您是为自己申请，还是替别人申请');
  });

  it('"俺叫…" or "我是…" asked for the name also says the speaker applies for himself', () => {
    for (const said of ['俺叫王秀英', '我是王秀英']) {
      const t = run('sms', ['2', '老伴瘫痪在床，家里没有收入', said]);
      expect(t.turns[2]!.state.slots.name).toBe('王秀英');
      expect(t.turns[2]!.state.relation).toBe('本人');
    }
  });

  it('a bare name leaves the relation to be asked: "替我儿子申请的" is a relative applying', () => {
    const t = run('sms', ['2', '儿子出车祸住院了，家里没钱', '李建国', VALID_ID, '四口人', '半程镇河庄村', '是', '替我儿子申请的', '同意', '没有']);
    expect(t.turns[2]!.state.relation).toBeUndefined();
    expect(text(t.turns[6])).toContain('您是为自己申请，还是替别人申请？');
    expect(t.turns[7]!.state.relation).toBe('家属');
    expect(text(t.turns[9])).toContain('申请方式：家属代为申请');
  });

  it('asked the name, a name said with the place is taken with it', () => {
    const t = run('sms', ['想申请低保，老伴走了一个人过', '刘桂芝，半程镇河庄村的']);
    expect(t.turns[1]!.state.slots).toMatchObject({ name: '刘桂芝', townshipCode: 'bancheng', villageCode: 'hezhuang' });
    expect(text(t.turns[1])).toContain('身份证号');
  });

  it('asks for the village when only the township is given', () => {
    const t = run('sms', [ONE_MESSAGE.replace('住枣园镇东鲁村，', ''), '在银雀山', '孝友社区']);
    expect(text(t.turns[1])).toBe('住在银雀山街道哪个村（社区）？也可以说详细地址。');
    expect(t.turns[2]!.state.slots).toMatchObject({ townshipCode: 'yinqueshan', villageCode: 'xiaoxi' });
  });

  it('asked whether to use the caller number, a number with a digit too many is asked for as a number', () => {
    const t = run('sms', [ONE_MESSAGE, '幺三九一二三四五六七八九']);
    expect(text(t.turns[1])).toContain('手机号是11位数字');
    expect(t.turns[1]!.state.step).toBe('phone');
    expect(text(t.turns[1])).not.toContain('是否用您现在这个号码');
  });

  it('declining the caller number asks for another', () => {
    const t = run('sms', [ONE_MESSAGE, '不是', '13912345678']);
    expect(text(t.turns[1])).toContain('请告诉我联系电话');
    expect(t.turns[2]!.state.slots.phone).toBe('13912345678');
  });
});

describe('corrections', () => {
  it('at the summary: "不对，是四口人" updates and re-reads the summary', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '不对，是四口人', '对']);
    const reread = text(t.turns[5]);
    expect(reread).toMatch(/^好的，已更正：家庭人口：4人。/);
    expect(reread).toContain('请核对您的申请');
    // The routine safety question is not asked again after a correction.
    expect(reread).not.toContain('最后问一句');
    expect(t.turns[5]!.state.slots.householdSize).toBe(4);
    expect(t.turns[5]!.effects).toEqual([]);
    expect(effects(t.turns[6], 'open_case')[0]!.fields.applicant.householdSize).toBe(4);
  });

  it('mid-flow: a corrected name is acknowledged and the current question asked again', () => {
    const t = run('sms', [ONE_MESSAGE, '我叫王秀云']);
    expect(t.turns[1]!.state.slots.name).toBe('王秀云');
    expect(text(t.turns[1])).toContain('好的，已更正：姓名：王秀云。');
    expect(text(t.turns[1])).toContain('是否用您现在这个号码');
  });

  it('at the summary the place named by its kind ("村子不对") takes the new village of the same township', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '对倒是对，村子写错了，是王庄', '对']);
    expect(text(t.turns[5])).toContain('好的，已更正：家庭住址：枣园镇王庄村。');
    expect(t.turns[5]!.state.slots).toMatchObject({ townshipCode: 'zaoyuan', villageCode: 'wangzhuang' });
    expect(effects(t.turns[6], 'open_case')).toHaveLength(1);
  });

  it('at the summary "人数写错了" with the total and the people forgotten takes the total', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '人数写错了，应该是五口，忘了算俩孙子，他们跟着奶奶住']);
    expect(text(t.turns[5])).toContain('好的，已更正：家庭人口：5人。');
  });

  it('at the summary a plain "不对" asks which item is wrong', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '不对']);
    expect(text(t.turns[5])).toContain('请直接告诉我哪一项不对');
    expect(t.turns[5]!.state.step).toBe('summary');
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

  it('a fourth failure on a skippable item leaves it for the call-back instead of looping', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', '123', '456', '789', '000']);
    expect(effects(t.turns[6], 'flag_duty')).toEqual([]);
    expect(effects(t.turns[6], 'callback_task')).toEqual([{ type: 'callback_task', reason: '居民跳过了"身份证号"，请回电补充' }]);
    expect(text(t.turns[6])).toContain('好的，这一项先跳过');
    expect(text(t.turns[6])).toContain('家里一共几口人');
    expect(t.turns[6]!.state).toMatchObject({ flow: 'application', step: 'householdSize', skipped: ['idNumber'] });
  });

  it('a fourth failure at a step that cannot be skipped (the read-back) hands over as stuck', () => {
    const t = run('sms', [ONE_MESSAGE, '是', '1', '同意', '没有', '哦哦', '啊啊啊', '呃', '哈哈']);
    expect(t.turns[7]!.state.step).toBe('summary');
    expect(effects(t.turns[8], 'flag_duty')).toEqual([
      expect.objectContaining({ kind: 'stuck', reason: expect.stringContaining('多次没能回答"最后确认"') }),
    ]);
    expect(text(t.turns[8])).toContain('我请工作人员来帮您');
    expect(t.turns[8]!.state.flow).toBe('handover');
    expect(t.turns.flatMap((turn) => effects(turn, 'callback_task'))).toEqual([]);
  });

  it('a skipped slot leaves the case incomplete and the read-back says staff will call', () => {
    const t = run('sms', [ONE_MESSAGE.replace(`身份证${VALID_ID}，`, ''), '跳过', '是', '1', '同意', '没有', '对']);
    expect(text(t.turns[5])).toContain('身份证号：（跳过，工作人员回电补充）');
    const [open] = effects(t.turns[6], 'open_case');
    expect(open).toMatchObject({ complete: false, missing: ['idNumber'] });
    expect(text(t.turns[6])).toContain('还差的信息，工作人员会打电话跟您核实');
  });
});

describe('consent', () => {
  it('"不同意" is recorded with time and channel and the application goes on', () => {
    const t = run('wecom_app', [ONE_MESSAGE, '13912345678', '本人', '不同意', '没有', '对']);
    expect(text(t.turns[3])).toContain('已记下您不同意授权。申请照样提交');
    expect(t.turns[3]!.state.consent).toEqual({ given: false, at: '2026-11-22T02:01:30.000Z', channel: 'wecom_app' });
    expect(text(t.turns[3])).toContain(ROUTINE_SAFETY);
    expect(text(t.turns[4])).toContain('授权核对：不同意');
    const [open] = effects(t.turns[5], 'open_case');
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

describe('the routine safety question before the read-back', () => {
  const toSafety = [ONE_MESSAGE, '是', '1', '同意'];

  it('an account that is neither yes nor no, told twice, flags a duty officer to call back', () => {
    const account = '老太太这两天咋样俺也说不准，得赶紧叫人过去敲门瞅瞅';
    const t = run('sms', [...toSafety, account, account]);
    expect(effects(t.turns[4], 'flag_duty')).toEqual([]);
    expect(effects(t.turns[5], 'flag_duty')).toEqual([expect.objectContaining({ urgent: true, reason: expect.stringContaining('没有得到明确回答') })]);
  });

  it('a yes flags a duty officer, and the read-back follows', () => {
    const t = run('sms', [...toSafety, '有', '对']);
    expect(text(t.turns[3])).toBe(ROUTINE_SAFETY);
    expect(effects(t.turns[4], 'flag_duty')).toEqual([
      expect.objectContaining({ kind: 'urgent', urgent: true, reason: expect.stringContaining('安全问题') }),
    ]);
    expect(text(t.turns[4])).toContain('我们已通知值班人员优先处理');
    expect(text(t.turns[4])).toContain('请核对您的申请');
    expect(t.turns[4]!.state).toMatchObject({ step: 'summary', safety: { flagged: true, asked: true } });
    expect(effects(t.turns[5], 'open_case')).toHaveLength(1);
  });

  it('a danger told in answer flags a duty officer and tells whom to ring', () => {
    const t = run('sms', [...toSafety, '老伴今早说胸口疼，起不来了']);
    expect(effects(t.turns[4], 'flag_duty')).toEqual([expect.objectContaining({ urgent: true })]);
    expect(text(t.turns[4])).toContain('120（急救）');
    expect(text(t.turns[4])).toContain('请核对您的申请');
  });

  it('an account that says neither yes nor no is asked once more; "still so" then flags', () => {
    const t = run('sms', [...toSafety, '俺家那口子这两天老说心口闷得慌', '还是那样，还疼着哩']);
    expect(effects(t.turns[4], 'flag_duty')).toEqual([]);
    expect(text(t.turns[4])).toContain('再问一句');
    expect(effects(t.turns[5], 'flag_duty')).toEqual([expect.objectContaining({ urgent: true })]);
    expect(text(t.turns[5])).toContain('请核对您的申请');
  });

  it('on voice 1 is a yes', () => {
    const t = run('voice', [ONE_MESSAGE, '[keys]1', '[keys]1', '[keys]1', '[keys]1']);
    expect(t.turns[3]!.replies[0]!.speech).toBe(ROUTINE_SAFETY_SPEECH);
    expect(effects(t.turns[4], 'flag_duty')).toEqual([expect.objectContaining({ kind: 'urgent', urgent: true })]);
    expect(t.turns[4]!.state.step).toBe('summary');
  });

  it('an unclear answer does not flag and is not asked again: "好的。" and the read-back', () => {
    const t = run('sms', [...toSafety, '说不好', '对']);
    expect(effects(t.turns[4], 'flag_duty')).toEqual([]);
    expect(text(t.turns[4])).toMatch(/^好的。\n请核对您的申请/);
    expect(text(t.turns[4])).not.toContain('再问一句');
    expect(t.turns[4]!.state.step).toBe('summary');
    expect(t.turns[4]!.state.safety.flagged).toBe(false);
    expect(effects(t.turns[5], 'open_case')).toHaveLength(1);
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
  });

  it('not asked when the safety question was already asked in this conversation', () => {
    const unsure = (said: string): UrgencyVerdict =>
      /好几天没出门/.test(said) ? { urgent: false, signals: [], lifeDanger: false, mentalHealth: false, unsure: true } : { urgent: false, signals: [], lifeDanger: false, mentalHealth: false };
    const t = run('sms', ['我娘好几天没出门了，想给她申请个补助', '吃住都还行', '王秀英', VALID_ID, '3', '枣园镇东鲁村', '是', '2', '同意'], {
      ctx: ctxFor('sms', { detectUrgency: unsure }),
    });
    expect(text(t.turns[0])).toContain('现在有没有人有危险');
    expect(text(t.turns[8])).toContain('请核对您的申请');
    expect(t.turns[8]!.state.step).toBe('summary');
    expect(t.turns.map((turn) => text(turn)).join('\n')).not.toContain('最后问一句');
  });

  it('not asked when a duty officer was already flagged in this conversation', () => {
    const urgentOn = (said: string): UrgencyVerdict =>
      /安眠药/.test(said)
        ? { urgent: true, signals: ['安眠药'], lifeDanger: false, mentalHealth: true, reason: '轻生' }
        : { urgent: false, signals: [], lifeDanger: false, mentalHealth: false };
    const t = run('sms', ['2', '老伴住院了', '王秀英', '我刚把一瓶安眠药都喝了', VALID_ID, '3', '枣园镇东鲁村', '是', '1', '同意'], {
      ctx: ctxFor('sms', { detectUrgency: urgentOn }),
    });
    expect(effects(t.turns[3], 'flag_duty')).toHaveLength(1);
    expect(text(t.turns[9])).toContain('请核对您的申请');
    expect(t.turns[9]!.state.step).toBe('summary');
    expect(t.turns.map((turn) => text(turn)).join('\n')).not.toContain('最后问一句');
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toHaveLength(1);
  });
});

describe('the opening account', () => {
  it('the whole account of the first message is the reason: the reason question is not asked', () => {
    const t = run('sms', ['上礼拜大风把屋顶掀了，能申请不']);
    expect(t.turns[0]!.state.flow).toBe('application');
    expect(t.turns[0]!.state.slots.reason).toBe('上礼拜大风把屋顶掀了，能申请不');
    expect(text(t.turns[0])).toBe('请问申请人叫什么名字？');
  });

  it('greetings are left out of the account', () => {
    const t = run('sms', ['喂，你好，俺家上礼拜大风把屋顶掀了，能申请不']);
    expect(t.turns[0]!.state.slots.reason).toBe('俺家上礼拜大风把屋顶掀了，能申请不');
  });

  it('an opening that only names the request behaves as before', () => {
    const named = run('sms', ['想申请低保']);
    expect(named.turns[0]!.state.slots.reason).toBe('想申请低保');
    expect(text(named.turns[0])).toBe('请问申请人叫什么名字？');
    const bare = run('sms', ['你好，想申请个救助']);
    expect(bare.turns[0]!.state.slots.reason).toBeUndefined();
    expect(text(bare.turns[0])).toBe('请简单说说家里遇到了什么困难，想申请什么帮助？');
  });
});

describe('numbers not at hand', () => {
  it('on WeCom "就这个号" is explained once; said again, the phone is left for the call-back', () => {
    const t = run('wecom_app', [ONE_MESSAGE, '就这个号', '打我这个', '本人', '同意', '没有', '对']);
    expect(text(t.turns[1])).toContain('在微信里我们看不到您的手机号');
    expect(text(t.turns[1])).toContain('请告诉我联系电话');
    expect(t.turns[1]!.state.step).toBe('phone');
    expect(effects(t.turns[1], 'callback_task')).toEqual([]);
    expect(effects(t.turns[2], 'callback_task')).toEqual([{ type: 'callback_task', reason: '居民跳过了"联系电话"，请回电补充' }]);
    expect(text(t.turns[2])).toContain('好的，这一项先跳过');
    expect(text(t.turns[2])).toContain('您是为自己申请，还是替别人申请？');
    expect(text(t.turns[2])).not.toContain('看不到您的手机号');
    expect(t.turns[2]!.state.skipped).toEqual(['phone']);
    expect(text(t.turns[5])).toContain('联系电话：（跳过，工作人员回电补充）');
    expect(effects(t.turns[6], 'open_case')[0]).toMatchObject({ complete: false, missing: ['phone'] });
  });

  it('on WeCom a number sent after the explanation is taken', () => {
    const t = run('wecom_app', [ONE_MESSAGE, '就这个号', '13912345678']);
    expect(t.turns[2]!.state.slots.phone).toBe('13912345678');
    expect(t.turns[2]!.state.skipped).toEqual([]);
  });

  it('"现在没有" asked for the ID number leaves it for the call-back', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', '现在没有']);
    expect(effects(t.turns[3], 'callback_task')).toEqual([{ type: 'callback_task', reason: '居民跳过了"身份证号"，请回电补充' }]);
    expect(text(t.turns[3])).toContain('这一项先跳过');
    expect(text(t.turns[3])).toContain('家里一共几口人');
    expect(t.turns[3]!.state.skipped).toEqual(['idNumber']);
  });

  it('"没有" asked for the phone leaves it for the call-back', () => {
    const wecom = run('wecom_app', [ONE_MESSAGE, '没有']);
    expect(effects(wecom.turns[1], 'callback_task')).toEqual([{ type: 'callback_task', reason: '居民跳过了"联系电话"，请回电补充' }]);
    expect(wecom.turns[1]!.state.skipped).toEqual(['phone']);
    const sms = run('sms', [ONE_MESSAGE, '不是', '现在没有']);
    expect(text(sms.turns[1])).toContain('请告诉我联系电话');
    expect(sms.turns[2]!.state.skipped).toEqual(['phone']);
    expect(sms.turns[2]!.state.slots.phone).toBeUndefined();
  });

  it('"没有" to a question that is not a number is not a skip', () => {
    const t = run('sms', ['2', '想申请低保', '王秀英', VALID_ID, '没有']);
    expect(t.turns[4]!.state.step).toBe('householdSize');
    expect(t.turns[4]!.state.skipped).toEqual([]);
    expect(effects(t.turns[4], 'callback_task')).toEqual([]);
  });
});
