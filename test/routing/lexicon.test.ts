import { describe, expect, it } from 'vitest';
import { CATEGORY_CODES, type CategoryCode } from '../../src/domain/categories.js';
import { classify } from '../../src/routing/classify.js';
import { CATEGORY_LEXICON } from '../../src/routing/lexicon.js';

const lead = (text: string) => classify(text).categories[0]?.code;
const codes = (text: string) => classify(text).categories.map((c) => c.code);

/** Two sentences per category, worded as residents write them. */
const SENTENCES: Record<CategoryCode, [string, string]> = {
  minimum_living: ['俺家想吃低保，得找谁', '最低生活保障金啥时候发'],
  extreme_poverty: ['俺们村老刘是五保户，想进敬老院', '我叔没儿没女，也干不动了，能办特困不'],
  temporary: ['家里出了意外急需用钱，能不能临时救助一下', '遭了变故，丧葬费都拿不出来'],
  disaster: ['昨天冰雹把苞米都打坏了', '发洪水把俺家地冲了，咋报灾'],
  medical: ['俺爹做透析一个月好几千，看不起病了', '住院费太贵了，能不能医疗救助'],
  education: ['闺女考上大学了，学费没着落', '孩子上学的学杂费交不起'],
  housing: ['俺家是危房，一下雨就漏', '想申请公租房，现在房租太贵'],
  employment: ['我下岗好几年了，找不到工作', '家里是零就业家庭，想要个公益性岗位'],
  disability: ['俺娘是残疾人，想办残疾证', '孩子是脑瘫，想做康复训练'],
  child: ['俺外孙是孤儿，想问问孤儿补贴', '邻居家孩子爸妈都不在了，算事实无人抚养儿童吗'],
  elderly: ['俺爷爷九十多了，想领高龄补贴', '老人失能了，想申请居家养老服务'],
  worker: ['我是厂里的困难职工，工会能帮帮不', '总工会送温暖有俺们职工的份吗'],
  legal_aid: ['老板拖欠工资三个月，想请律师', '想打官司没钱，能不能法律援助'],
  vagrant: ['广场上有个流浪汉待了好几天了', '有个人在路边乞讨，想联系救助站'],
  youth: ['孩子辍学了，团委能不能帮帮', '青少年结对帮扶项目怎么报名'],
  women: ['我是单亲妈妈，妇联有帮扶吗', '农村妇女两癌救助怎么申请'],
  judicial_aid: ['判决书下来了执行不到钱，想申请司法救助', '刑事案件被害人家属能申请国家司法救助吗'],
};

describe('category lexicon', () => {
  it('has words for every category', () => {
    for (const code of CATEGORY_CODES) expect(Object.keys(CATEGORY_LEXICON[code]).length).toBeGreaterThan(5);
  });

  for (const code of CATEGORY_CODES) {
    it(`leads with ${code} on what residents say`, () => {
      for (const text of SENTENCES[code]) expect(lead(text), text).toBe(code);
    });
  }

  it('names the words that fired', () => {
    const medical = classify('住院费交不起，看不起病').categories.find((c) => c.code === 'medical');
    expect(medical?.reason).toBe('提到“住院费”“看不起病”');
  });
});

describe('negation', () => {
  it('drops a negated programme word', () => {
    expect(codes('我不是低保户，想问问临时救助')).toEqual(['temporary']);
  });

  it('drops negated danger words but keeps the request', () => {
    const result = classify('我不是想死，就是想问问低保');
    expect(result.categories[0]?.code).toBe('minimum_living');
    expect(result.urgent).toBe(false);
  });

  it('keeps words whose negation states the hardship (交不起, 没钱)', () => {
    expect(lead('交不起学费')).toBe('education');
    expect(lead('没钱看病')).toBe('medical');
  });

  it('does not let a negation reach across a comma', () => {
    expect(lead('没有别的办法了，想申请低保')).toBe('minimum_living');
  });
});

describe('traditional and full-width input', () => {
  it('classifies traditional characters like simplified ones', () => {
    expect(lead('殘疾人兩項補貼怎麼申請')).toBe('disability');
    expect(lead('孩子上不起學，學費太貴')).toBe('education');
  });

  it('reads full-width punctuation as clause breaks', () => {
    expect(lead('不是我，是俺娘要住院！住院费交不上')).toBe('medical');
  });
});
