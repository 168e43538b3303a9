import { splitClauses } from './clauses.js';
import { normalizeText } from './normalize.js';
import { NUMERAL, parseChineseInt } from './numbers.js';
import type { Located } from './span.js';

const MAX_HOUSEHOLD = 20;

/** Household counts also use 俩 (two of us) and 仨 (three of us). */
const COUNT = `(${NUMERAL}|俩|仨)`;
const HOME = '(?:一家|全家|家里|家中|我们家|我家|俺家|咱家|家|户里)';
const FILLER = '(?:人|里)?(?:一共|总共|共|有|是|就|就有|只有|现在)*';
const RELATION =
  '(?:老伴|老婆|爱人|媳妇|妻子|丈夫|老公|对象|孩子|小孩|儿子|女儿|闺女|孙子|孙女|外孙女|外孙|老父亲|老母亲|父亲|母亲|爸爸|妈妈|公公|婆婆|哥哥|弟弟|姐姐|妹妹|儿媳妇|儿媳|女婿)';
const JOINER = '(?:和|跟|与|、|还有|以及|及|加上)?';

/** Phrases that state the total outright; the captured number is the household size. */
const TOTALS: RegExp[] = [
  new RegExp(`${COUNT}口(?:人|之家)`, 'g'), // 三口人, 五口之家
  new RegExp(`${HOME}${FILLER}${COUNT}口(?!子)`, 'g'), // 一家五口, 家里3口
  new RegExp(`${HOME}${FILLER}${COUNT}个?人`, 'g'), // 家里3个人, 家里一共四个人
  new RegExp(`(?:我们|咱们|俺们|我和[^，。！？；]{1,8}?|我跟[^，。！？；]{1,8}?)${FILLER}${COUNT}个?人`, 'g'), // 我和老伴两个人
];

/** Fixed phrases for small households. */
const PHRASES: [RegExp, number][] = [
  [/(?:就|只有|只剩下?|就剩)?(?:我|俺)(?:自己)?(?:一个人|一人)|孤身一人|独自一人|孤寡一人|(?<!\d|[零一二两三四五六七八九十])一个人(?:住|过|生活)|独居/g, 1],
  [/老两口|两口子|(?:我们|咱们|俺们|我|咱|俺|娘儿?|爷儿?|母子|母女|父子|父女)俩/g, 2],
  [/(?:我们|咱们|俺们|咱|娘儿?|爷儿?|母子|母女|父子)仨/g, 3],
];

/** "我和老伴", "我带着三个孩子", "我一个人带两个孩子": the speaker plus each member named. */
const WITH_MEMBERS = new RegExp(`(?:我|俺)(?:一个人)?(?:和|跟|与|同|带着?|还有|照顾着?)`, 'g');
const MEMBER = new RegExp(`(?:${COUNT}个)?(?:我的?|俺的?)?${RELATION}${JOINER}`, 'y');

/** A clause that is only the answer to "家里几口人？": "四个", "是4口人", "一共五个人吧". */
const SHORT_ANSWER = new RegExp(`^(?:嗯|哦)?(?:是|有|就|一共|总共|共)*${COUNT}(?:口人|口|个人|个|人)(?:吧|啊|呀|了|呢|哈)?$`);

function count(numeral: string | undefined): number | undefined {
  if (numeral === undefined) return undefined;
  return parseChineseInt(numeral.replace('俩', '两').replace('仨', '三'));
}

/** "不是三口人" denies that size. */
function negated(text: string, start: number): boolean {
  return /不是?$/.test(text.slice(Math.max(0, start - 2), start));
}

function memberLists(text: string): Located<number>[] {
  const found: Located<number>[] = [];
  for (const m of text.matchAll(WITH_MEMBERS)) {
    let members = 0;
    let end = m.index + m[0].length;
    MEMBER.lastIndex = end;
    for (let member = MEMBER.exec(text); member; member = MEMBER.exec(text)) {
      members += count(member[1]) ?? 1;
      end = MEMBER.lastIndex;
    }
    if (members > 0) found.push({ value: 1 + members, start: m.index, end });
  }
  return found;
}

function candidates(text: string): Located<number>[] {
  const found: Located<number>[] = [];
  for (const pattern of TOTALS) {
    for (const m of text.matchAll(pattern)) {
      const value = count(m[1]);
      if (value !== undefined) found.push({ value, start: m.index, end: m.index + m[0].length });
    }
  }
  for (const [pattern, value] of PHRASES) {
    for (const m of text.matchAll(pattern)) found.push({ value, start: m.index, end: m.index + m[0].length });
  }
  found.push(...memberLists(text));
  for (const clause of splitClauses(text)) {
    const answer = SHORT_ANSWER.exec(clause.text.trim());
    const value = count(answer?.[1]);
    if (value !== undefined) found.push({ value, start: clause.start, end: clause.start + clause.text.length });
  }
  return found;
}

/**
 * Household size in normalized text. When several are said, the one ending last wins, so a
 * correction ("原来五口人，现在三口人") and the fullest phrase ("我一个人带两个孩子") count.
 */
export function locateHouseholdSize(text: string): Located<number> | undefined {
  const plausible = candidates(text).filter(
    (c) => c.value >= 1 && c.value <= MAX_HOUSEHOLD && !negated(text, c.start),
  );
  plausible.sort((a, b) => b.end - a.end || a.start - b.start);
  return plausible[0];
}

export function extractHouseholdSize(text: string): number | undefined {
  return locateHouseholdSize(normalizeText(text))?.value;
}
