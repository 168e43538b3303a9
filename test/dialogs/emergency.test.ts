import { describe, expect, it } from 'vitest';
import { issued, effects, run, text } from './helpers.js';
import { spokenTrackingNumber } from '../../src/domain/tracking-number.js';

describe('emergency with life danger', () => {
  it('sms: 119/120/110 and an urgent flag at the first message, then the report and a receipt', () => {
    const t = run('sms', ['家里着火了，我妈被困在屋里', '在枣园镇王庄村', '我妈，电话13912345678', '她叫王秀英', '我是她儿子', '行']);
    const first = text(t.turns[0]);
    expect(first).toMatch(/^如有人受伤、被困或有生命危险，请立即拨打119（火警）、120（急救）或110（报警）。/);
    expect(effects(t.turns[0], 'flag_duty')).toEqual([
      expect.objectContaining({ kind: 'urgent', urgent: true, lifeDanger: true, reason: expect.stringContaining('着火') }),
    ]);
    expect(t.turns[0]!.state).toMatchObject({ flow: 'emergency', step: 'where', emergency: { what: '家里着火了，我妈被困在屋里', dangerNow: true } });
    expect(first).toContain('事情发生在哪里？');
    // Said once: later turns do not repeat the warning or the flag.
    expect(t.turns.slice(1).flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    expect(text(t.turns[1])).not.toContain('119');

    expect(text(t.turns[2])).toContain('叫什么名字');
    // The number written from is offered for the call-back last.
    expect(text(t.turns[4])).toContain('工作人员回电就打您现在这个号码 138****1234');
    const [open] = effects(t.turns[5], 'open_case');
    expect(open).toMatchObject({
      caseType: 'emergency',
      complete: true,
      missing: [],
      categoriesHint: ['temporary', 'disaster'],
      fields: {
        applicant: { name: '王秀英', phone: '13812341234' },
        emergency: {
          what: '家里着火了，我妈被困在屋里',
          townshipCode: 'zaoyuan',
          villageCode: 'wangzhuang',
          affected: '我妈，电话（号码略）',
          contact: '13912345678',
          dangerNow: true,
          reporter: { relation: '家属', phone: '13812341234' },
        },
      },
    });
    expect(text(t.turns[5])).toContain(`紧急求助已登记，承办编号：${issued()}。枣园镇社会救助窗口将在24小时内联系您，先行救助。`);
    expect(t.state?.flow).toBe('closed');
  });

  it('a township said alone takes its village from a later message, not from another township', () => {
    const t = run('sms', ['家里着火了，我妈被困在屋里，俺是枣园的', '我妈，在王庄村', '李官镇李官村']);
    expect(t.turns[1]!.state.emergency).toMatchObject({ townshipCode: 'zaoyuan', villageCode: 'wangzhuang' });
    expect(t.turns[2]!.state.emergency).toMatchObject({ townshipCode: 'zaoyuan', villageCode: 'wangzhuang' });
  });

  it('voice: the numbers to ring are spoken digit by digit, and the receipt hangs up', () => {
    const t = run('voice', ['房子塌了，有人压在下面', '半程镇小坡村', '邻居老张一家', '不知道名字', '我是邻居', '[keys]1#']);
    expect(t.turns[0]!.replies).toHaveLength(1);
    expect(t.turns[0]!.replies[0]!.speech).toContain('请立即拨打1 1 9火警、1 2 0急救或1 1 0报警');
    expect(effects(t.turns[0], 'flag_duty')[0]).toMatchObject({ lifeDanger: true });
    expect(t.turns[5]!.replies[0]).toMatchObject({ hangup: true, speech: expect.stringContaining(spokenTrackingNumber(issued())) });
  });

  it('the contact line of the case_opened event is read to the resident', () => {
    const t = run('wecom_app', ['1', '家里被水淹了', '柳青街道官庄社区', '我们一家三口', '我叫刘洋', '没有', '本人', '13912345678']);
    // WeCom has no caller number: one to call back is asked last.
    expect(text(t.turns[6])).toContain('请留一个能联系到您的电话');
    expect(text(t.turns[7])).toContain('柳青街道社会救助窗口将在24小时内联系您');
  });
});

describe('mental health crisis', () => {
  it('offers 12356 and flags a duty officer without calling it life danger', () => {
    const t = run('wecom_app', ['我不想活了，家里没钱看病']);
    expect(text(t.turns[0])).toContain('全国心理援助热线12356');
    expect(text(t.turns[0])).not.toContain('119');
    expect(effects(t.turns[0], 'flag_duty')).toEqual([expect.objectContaining({ kind: 'urgent', urgent: true, lifeDanger: false })]);
    expect(t.turns[0]!.state.flow).toBe('emergency');
  });

  it('mid-application talk of suicide is answered at once and the application continues', () => {
    const t = run('sms', ['2', '活着没意思，不如死了算了']);
    expect(text(t.turns[1])).toContain('12356');
    expect(effects(t.turns[1], 'flag_duty')).toHaveLength(1);
    expect(t.turns[1]!.state.flow).toBe('application');
  });

  it('talk of suicide in the middle of an application is answered at once and the application continues', () => {
    const t = run('sms', ['2', '老伴走了，家里没收入', '王秀英', '活着没意思，不如死了算了']);
    expect(text(t.turns[3])).toContain('12356');
    expect(effects(t.turns[3], 'flag_duty')).toHaveLength(1);
    expect(t.turns[3]!.state.flow).toBe('application');
    expect(t.turns[3]!.state.slots.name).toBe('王秀英');
  });
});

describe('emergency without danger', () => {
  it('asks all six items, flags nobody, and records "no danger"', () => {
    const t = run('sms', ['1', '家里房顶漏雨，屋里都湿了', '在李官镇大王庄村', '我和老伴，电话就是这个', '赵桂兰', '没有', '我是本人，我叫赵桂兰']);
    expect(text(t.turns[0])).toContain('请简单说一下发生了什么事？');
    expect(text(t.turns[4])).toContain('现在有没有人有危险');
    expect(t.turns.flatMap((turn) => effects(turn, 'flag_duty'))).toEqual([]);
    const [open] = effects(t.turns[6], 'open_case');
    expect(open!.fields.emergency).toMatchObject({
      what: '家里房顶漏雨，屋里都湿了',
      townshipCode: 'liguan',
      villageCode: 'dawang',
      dangerNow: false,
      reporter: { relation: '本人', name: '赵桂兰' },
    });
  });

  it('"有" to the danger question flags a duty officer then', () => {
    const t = run('sms', ['1', '邻居家老人好几天没出门了', '义堂镇北湖村', '邻居王大爷', '他叫王德山', '有']);
    expect(effects(t.turns[5], 'flag_duty')).toEqual([expect.objectContaining({ urgent: true, kind: 'urgent' })]);
    expect(text(t.turns[5])).toContain('119');
    expect(t.turns[5]!.state.emergency.dangerNow).toBe(true);
  });

  it('an answer that says nothing is asked again', () => {
    const t = run('sms', ['紧急求助', '1']);
    expect(text(t.turns[1])).toBe('请说说发生了什么，比如"房子着火了"。\n请简单说一下发生了什么事？');
    expect(t.turns[1]!.state.emergency.what).toBeUndefined();
  });
});

describe('"紧急" from any flow', () => {
  it('jumps from the middle of an application into the emergency report', () => {
    const t = run('sms', ['2', '想申请低保', '紧急']);
    expect(t.turns[2]!.state.flow).toBe('emergency');
    expect(text(t.turns[2])).toContain('好的，我们马上登记紧急情况。');
    expect(text(t.turns[2])).toContain('请简单说一下发生了什么事？');
    // What the application already had is kept for staff.
    expect(t.turns[2]!.state.slots.reason).toBe('想申请低保');
  });
});

describe('what a report needs to reach someone', () => {
  it('a township said alone is a whole town: the village is asked, in the township named', () => {
    const t = run('sms', ['俺大爷在地里晕倒了叫不醒，俺们在半程这块', '小坡村东头']);
    expect(t.turns[0]!.state.emergency.townshipCode).toBe('bancheng');
    expect(text(t.turns[0])).toContain('在半程镇哪个村（社区）？');
    expect(t.turns[1]!.state.emergency).toMatchObject({ townshipCode: 'bancheng', villageCode: 'xiaopo' });
    expect(text(t.turns[1])).not.toContain('哪个村');
  });

  it('asked where, a village of another township named in full is the place', () => {
    const t = run('sms', ['俺大爷在地里晕倒了叫不醒，俺们在半程这块', '不对，是李官镇西安村']);
    expect(t.turns[1]!.state.emergency).toMatchObject({ townshipCode: 'liguan', villageCode: 'xinan' });
  });

  const REPORT = ['邻居家着火了，老两口还在里面', '枣园镇东鲁村', '隔壁老刘两口子', '刘本善', '我是他邻居'];

  it('another number given for the call-back is taken, a landline with its area code too', () => {
    const t = run('sms', [...REPORT, '俺这手机借的，回电打俺家座机 0539-8123457']);
    expect(text(t.turns[4])).toContain('工作人员回电就打您现在这个号码');
    expect(effects(t.turns[5], 'open_case')[0]!.fields.applicant).toMatchObject({ phone: '05398123457' });
  });

  it('declined, a number is asked for; "my mobile" from a mobile is the number written from', () => {
    const declined = run('sms', [...REPORT, '不行', '13698765432']);
    expect(text(declined.turns[5])).toContain('请留一个能联系到您的电话');
    expect(effects(declined.turns[6], 'open_case')[0]!.fields.applicant).toMatchObject({ phone: '13698765432' });
    const mine = run('sms', [...REPORT, '就打俺手机吧']);
    expect(effects(mine.turns[5], 'open_case')[0]!.fields.applicant).toMatchObject({ phone: '13812341234' });
  });

  it('the number pointed at when saying who is in trouble is not asked about again', () => {
    const t = run('voice', ['1', '俺娘摔倒了起不来', '义堂镇北湖村', '俺娘，号码就是这个', '孙桂芝', '有', '俺是她闺女']);
    expect(effects(t.turns[6], 'open_case')[0]!.fields.applicant).toMatchObject({ phone: '13812341234' });
  });

  it('the head of the household is the person it is about', () => {
    const head = run('sms', [...REPORT.slice(0, 4), '俺是这家的户主', '行']);
    expect(head.turns[4]!.state.emergency.reporter?.relation).toBe('本人');
  });

  it('a report kept at silence is called back on the number it came from, unless the number was left out', () => {
    const quiet = run('sms', [...REPORT.slice(0, 3), '[silence]', '[silence]']);
    expect(effects(quiet.turns[4], 'open_case')[0]!.fields.applicant).toMatchObject({ phone: '13812341234' });
    const skipped = run('sms', [...REPORT.slice(0, 4), '跳过', '跳过']);
    expect(effects(skipped.turns[5], 'open_case')[0]!.fields.applicant.phone).toBeUndefined();
  });
});
