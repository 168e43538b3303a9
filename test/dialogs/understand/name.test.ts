import { describe, expect, it } from 'vitest';
import { extractName } from '../../../src/dialogs/understand/index.js';

describe('extractName', () => {
  it.each([
    ['我叫王秀英', '王秀英'],
    ['我是王秀英', '王秀英'],
    ['名字叫张三', '张三'],
    ['我的名字是刘建国', '刘建国'],
    ['姓名：李四', '李四'],
    ['姓名:李四', '李四'],
    ['申请人赵六', '赵六'],
    ['申请人是孙桂兰', '孙桂兰'],
    ['本人王秀英', '王秀英'],
    ['俺叫马大海', '马大海'],
    ['我叫欧阳秀英', '欧阳秀英'],
    ['我叫陳建國', '陈建国'],
    ['你好，我叫王秀英，想申请低保', '王秀英'],
    ['我叫王秀英今年七十八了', '王秀英'],
    ['我叫王秀英身份证37130219580312002X', '王秀英'],
    ['我叫张三想问一下', '张三'],
  ])('%s → %s', (text, name) => {
    expect(extractName(text)).toBe(name);
  });

  it.each([
    '我是枣园镇的',
    '我是他女儿',
    '我是王秀英的女儿',
    '我是低保户',
    '我是村里的',
    '我是李官镇的',
    '我是李官那边的',
    '我是马厂湖的',
    '我是张家村的',
    '我是高龄老人',
    '我是王大妈',
    '我是一个人',
    '王秀英',
  ])('%s gives no name', (text) => {
    expect(extractName(text)).toBeUndefined();
  });

  it('takes a bare name answer only when asked for one', () => {
    expect(extractName('王秀英', { bareAnswer: true })).toBe('王秀英');
    expect(extractName('嗯，王秀英。', { bareAnswer: true })).toBe('王秀英');
    expect(extractName('叫张三', { bareAnswer: true })).toBe('张三');
    expect(extractName('诸葛亮', { bareAnswer: true })).toBe('诸葛亮');
  });

  it.each(['不知道', '好的', '枣园', '王庄', '是的', '王', '王秀英王秀英'])('bare answer %s is not a name', (text) => {
    expect(extractName(text, { bareAnswer: true })).toBeUndefined();
  });
});
