import { parseYesNo } from './understand/index.js';
import { RELATIONS, type Relation } from './state.js';

/**
 * Small readings of answers that the shared understanding module leaves to the
 * dialog: menu-style digits, who applies for whom, tracking numbers.
 */

/** Yes/no, also from sentences about consent or danger that are more than a bare answer. */
export function yesNo(text: string): boolean | undefined {
  const plain = parseYesNo(text);
  if (plain !== undefined) return plain;
  // Negatives first: "不同意" contains "同意".
  if (/不同意|不授权|没有|没人/.test(text)) return false;
  if (/同意|授权/.test(text)) return true;
  return undefined;
}

const RELATION_WORDS: ReadonlyArray<readonly [Relation, RegExp]> = [
  ['本人', /本人|自己/],
  ['村干部', /村干部|村委|村里|社区|网格员|书记|主任/],
  ['邻居', /邻居|街坊/],
  ['家属', /家属|家人|亲戚|孩子|儿子|女儿|闺女|老伴|丈夫|妻子|媳妇|爱人|父亲|母亲|爸|妈|爷|奶|姥|孙|哥|姐|弟|妹|叔|婶|舅|姨/],
  ['其他', /其他|朋友|同事|志愿者|路过/],
];

/**
 * Who is asking for whom. A bare answer to the question ("我儿子", "2") is read
 * loosely; inside other sentences only explicit phrasing counts, since "我和老伴两口人"
 * mentions family without applying for them.
 */
export function parseRelation(text: string, opts: { bare: boolean }): Relation | undefined {
  if (opts.bare) {
    const keyed = /^[1-5]$/.test(text) ? RELATIONS[Number(text) - 1] : undefined;
    return keyed ?? RELATION_WORDS.find(([, re]) => re.test(text))?.[0];
  }
  if (/(给|为|帮)(我)?自己/.test(text)) return '本人';
  const who =
    /(?:替|帮|代|给)(.{1,6}?)(?:申请|办|报)/.exec(text)?.[1] ??
    /我是(?:他|她|老人|孩子)?的?(邻居|家属|家人|亲戚|儿子|女儿|闺女|老伴|孙子|孙女|村干部|网格员|村主任|书记)/.exec(text)?.[1];
  return who ? RELATION_WORDS.find(([, re]) => re.test(who))?.[0] : undefined;
}

/** A tracking number (承办编号) like LS20261122-0001; keyed on a phone it arrives without letters. */
export function trackingNumberIn(text: string): string | undefined {
  const m = /(?<![A-Za-z\d])([A-Za-z]{0,4})(\d{8})-?(\d{4})(?![\dXx])/.exec(text.replace(/\s/g, ''));
  if (!m) return undefined;
  const prefix = (m[1] ?? '').toUpperCase();
  return `${prefix}${m[2]}-${m[3]}`;
}

export function wantsSkip(text: string): boolean {
  return text.includes('跳过');
}

/** Stored E.164 caller numbers become the national digits residents know. */
export function nationalPhone(e164: string): string {
  return e164.replace(/^\+?86/, '').replace(/\D/g, '');
}

/**
 * Free text kept for staff and read back to the resident. Long digit runs are ID or
 * phone numbers said in passing; they never go back out in full.
 */
export function freeText(text: string): string {
  return text
    .replace(/\d{6,}[\dXx]*/g, '（号码略）')
    .trim()
    .slice(0, 200);
}
