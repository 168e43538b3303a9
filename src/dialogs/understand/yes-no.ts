import { splitClauses } from './clauses.js';
import { normalizeUtterance } from './normalize.js';

/** 中 and 管 are how many northern residents say "OK"; 1 and 2 are keypad answers. */
const YES = [
  '是这么回事', '是这样', '就这样', '没毛病', '都对', '全对', '正确', '无误', '准确', '对着', '嗯呐', '嗯哪', '妥',
  '是的', '是啊', '是', '对的', '对头', '对', '没错', '不错', '没问题', '好的', '好嘞', '好', '可以', '行', '成', '中', '管',
  '同意', '确认', '确定', '当然', '愿意', '需要', '要', '有', '1', 'ok', 'yes', 'y',
];
const NO = [
  '不是的', '不是', '不对的', '不对', '不同意', '不行', '不可以', '不要', '不需要', '不用', '不确认', '不愿意', '没有', '没', '否', '错了',
  '不好', '不中', '算了', '别', '不', '2', 'no', 'n',
];
/** 嗯 alone agrees, but "嗯，不对" is a hesitation before a no. */
const WEAK_YES = ['嗯', '恩'];
const FILLERS = /[啊呀吧呢哈嘛啦了呃哎唉噢哦喔儿哩咧嘞呗\s]/g;

type Token = { word: string; yes: boolean; weak: boolean };
const TOKENS: Token[] = [
  ...YES.map((word) => ({ word, yes: true, weak: false })),
  ...NO.map((word) => ({ word, yes: false, weak: false })),
  ...WEAK_YES.map((word) => ({ word, yes: true, weak: true })),
].sort((a, b) => b.word.length - a.word.length);

/** The answer tokens making up the whole clause ("好的好的", "嗯对"), or undefined if anything else is in it. */
function tokenize(clause: string): Token[] | undefined {
  // What is being confirmed may come first: "资料正确", "上面写的都对", "信息没错".
  let rest = clause
    .toLowerCase()
    .replace(FILLERS, '')
    .replace(/^(?:我|俺|那就|那|这回|这下|这次|现在|全都|都|就|资料|信息|内容|上面|写的|说的|这些|这个)+/, '')
    .replace(/的$/, '');
  const tokens: Token[] = [];
  while (rest !== '') {
    const token = TOKENS.find((t) => rest.startsWith(t.word));
    if (!token) return undefined;
    tokens.push(token);
    rest = rest.slice(token.word.length);
  }
  return tokens.length > 0 ? tokens : undefined;
}

export function parseYesNo(text: string): boolean | undefined {
  let weakYes = false;
  // Voice transcripts have spaces where writers put commas: "中 你们查吧".
  const clauses = splitClauses(normalizeUtterance(text)).flatMap((c) => c.text.split(' ').filter(Boolean));
  for (const clause of clauses) {
    const tokens = tokenize(clause);
    if (!tokens) continue;
    const strong = tokens.filter((t) => !t.weak);
    if (strong.length === 0) {
      weakYes = true;
      continue;
    }
    // "12" or "是不是" mixes answers: no decision from this clause.
    if (strong.every((t) => t.yes === strong[0]!.yes)) return strong[0]!.yes;
    return undefined;
  }
  return weakYes ? true : undefined;
}
