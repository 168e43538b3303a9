import { describe, expect, it } from 'vitest';
import { extractSlots } from '../../../src/dialogs/understand/index.js';
import { lanshan } from './lanshan.js';

describe('extractSlots', () => {
  it('fills every slot from one message', () => {
    expect(extractSlots('我叫王秀英，身份证37130219580312002X，家里三口人，住枣园镇东鲁村，想申请低保', lanshan)).toEqual({
      slots: {
        name: '王秀英', nameOf: 'speaker',
        idNumber: '37130219580312002X',
        householdSize: 3,
        townshipCode: 'zaoyuan',
        villageCode: 'donglu',
        reason: '想申请低保',
      },
    });
  });

  it('gives the same slots for traditional characters', () => {
    const expected = { slots: { name: '王秀英', nameOf: 'speaker', householdSize: 3, townshipCode: 'zaoyuan', villageCode: 'donglu' } };
    expect(extractSlots('我叫王秀英，家裏三口人，住棗園鎮東魯村', lanshan)).toEqual(expected);
    expect(extractSlots('我叫王秀英，家里三口人，住枣园镇东鲁村', lanshan)).toEqual(expected);
  });

  it('fills phone, address and a reason in the resident’s words', () => {
    expect(
      extractSlots('我叫柳青，电话138 0013 8000，住白沙埠镇诸葛村3组5号，老伴瘫痪在床，家里困难', lanshan),
    ).toEqual({
      slots: {
        name: '柳青', nameOf: 'speaker',
        phone: '13800138000',
        townshipCode: 'baishabu',
        villageCode: 'zhuge',
        address: '诸葛村3组5号',
        reason: '老伴瘫痪在床，家里困难',
      },
    });
  });

  it('reads run-on text without punctuation', () => {
    expect(extractSlots('我叫王秀英想申请低保身份证11010519491231002X电话13800138000', lanshan)).toEqual({
      slots: { name: '王秀英', nameOf: 'speaker', idNumber: '11010519491231002X', phone: '13800138000', reason: '想申请低保' },
    });
  });

  it('reads spoken digits without mixing ID, phone and household', () => {
    expect(
      extractSlots('身份证幺幺零幺零五幺九四九幺二三幺零零二叉，电话幺三八零零幺三八零零零，我和老伴两个人', lanshan),
    ).toEqual({ slots: { idNumber: '11010519491231002X', phone: '13800138000', householdSize: 2 } });
  });

  it('reports a wrong ID number alongside the slots it could fill', () => {
    expect(extractSlots('身份证3713021958031200，住半程', lanshan)).toEqual({
      slots: { townshipCode: 'bancheng' },
      idError: { ok: false, code: 'length', message: '身份证号应为18位，您输入了16位' },
    });
  });

  it('takes corrections', () => {
    expect(extractSlots('不对，是四口人', lanshan)).toEqual({ slots: { householdSize: 4 } });
    expect(extractSlots('不对，我叫王秀兰', lanshan)).toEqual({ slots: { name: '王秀兰', nameOf: 'speaker' } });
    expect(extractSlots('不是枣园，是半程镇河庄村', lanshan)).toEqual({
      slots: { townshipCode: 'bancheng', villageCode: 'hezhuang' },
    });
  });

  it('does not take a name for a place or a place for a name', () => {
    expect(extractSlots('我是王庄的，我和老伴', lanshan)).toEqual({
      slots: { townshipCode: 'zaoyuan', villageCode: 'wangzhuang', householdSize: 2 },
    });
  });

  it('reads a loose place and a question about the need', () => {
    expect(extractSlots('喂你好我是李官那边的想问问低保怎么申请', lanshan)).toEqual({
      slots: { townshipCode: 'liguan', reason: '想问问低保怎么申请' },
    });
  });

  it('finds nothing in a message with no slots', () => {
    expect(extractSlots('你好', lanshan)).toEqual({ slots: {} });
  });
});
