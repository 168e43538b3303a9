import { describe, expect, it } from 'vitest';
import { normalizeUtterance } from '../../../src/dialogs/understand/index.js';

describe('normalizeUtterance', () => {
  it('turns traditional characters (Taiwan and Hong Kong forms) into simplified', () => {
    expect(normalizeUtterance('我叫王秀英，家裏三口人，住棗園鎮東魯村')).toBe('我叫王秀英，家里三口人，住枣园镇东鲁村');
    expect(normalizeUtterance('家裡三個人，想申請低保')).toBe('家里三个人，想申请低保');
    expect(normalizeUtterance('房子著火了')).toBe('房子着火了');
  });

  it('leaves simplified text as it is', () => {
    expect(normalizeUtterance('我叫王秀英，想申请低保。')).toBe('我叫王秀英，想申请低保。');
  });

  it('turns full-width digits, letters and symbols half-width but keeps Chinese punctuation', () => {
    expect(normalizeUtterance('身份证１１０１０５１９４９１２３１００２Ｘ，电话（０５３９）－１２３４５６７。')).toBe(
      '身份证11010519491231002X，电话(0539)-1234567。',
    );
    expect(normalizeUtterance('对！是吗？好：行；')).toBe('对！是吗？好：行；');
  });

  it('turns ideographic spaces into spaces, collapses whitespace and trims', () => {
    expect(normalizeUtterance('　王秀英　　枣园镇 \n 东鲁村  ')).toBe('王秀英 枣园镇 东鲁村');
    expect(normalizeUtterance('   ')).toBe('');
  });
});
