import { splitClauses } from './clauses.js';
import { KINSHIP } from './kinship.js';
import { normalizeUtterance } from './normalize.js';
import { NUMERAL, parseChineseInt } from './numbers.js';
import type { Located } from './span.js';

const MAX_HOUSEHOLD = 20;

/** Household counts also use 俩 (two of us) and 仨 (three of us). */
const COUNT = `(${NUMERAL}|俩|仨)`;
const HOME = '(?:一家|全家|家里|家中|我们家|我家|俺家|咱家|家|户里)';
const FILLER = '(?:人|里)?(?:一共|总共|共|有|是|就|就有|只有|现在)*';
const RELATION =
  '(?:老伴|老婆|爱人|媳妇|妻子|丈夫|老公|对象|孩子|小孩|儿子|女儿|闺女|孙子|孙女|外孙女|外孙|老父亲|老母亲|父亲|母亲|爸爸|妈妈|公公|婆婆|哥哥|弟弟|姐姐|妹妹|儿媳妇|儿媳|女婿|娃娃|娃|孩儿|小子|丫头)';
const JOINER = '(?:和|跟|与|、|还有|以及|及|加上|带着?)?';

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
const WITH_MEMBERS = new RegExp(`(?:(?:我|俺)(?:一个人)?|一个人|(老两口|两口子|(?:我|俺)们?俩))(?:和|跟|与|同|带着?|还有|加上?|照顾着?)`, 'g');
const MEMBER = new RegExp(`(?:${COUNT}个?)?(?:[^，。,、\\s]{1,5}?的)?(?:我的?|俺的?)?${RELATION}${JOINER}`, 'y');

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
    // The list starts from the speaker, or from a couple ("老两口带着孙子").
    if (members > 0) found.push({ value: (m[1] ? 2 : 1) + members, start: m.index, end });
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

/**
 * A total said outright ("一家四口", "家里三个人"), the only household size taken from words said by
 * the way: "孩子留给俺老两口" or "我跟我老婆都下岗了" names some of the family, not all of it.
 */
export function statesHouseholdTotal(text: string): boolean {
  const normal = normalizeUtterance(text);
  return TOTALS.some((pattern) => new RegExp(pattern.source).test(normal));
}

export function extractHouseholdSize(text: string): number | undefined {
  return locateHouseholdSize(normalizeUtterance(text))?.value;
}

const PERSON_WORD = new RegExp(`我|俺|咱|他|她|小孩|娃|${KINSHIP.source}`);
/** A total said outright: "一共五口", "仨人", "四口", "三个人" (not the 两口 of 两口子). */
const TOTAL_SAID = new RegExp(`(?<!老)${COUNT}(?:口人|口(?!子)|个人|人)|(俩|仨)(?:人|(?:住|过)?$)`, 'g');
const ALONE = /(?:自己|自个儿?|一个人|一人|单过|独自|一个(?:住|过)?$)/;
const COUPLE = /两口子|老两口|(?:我|俺)们?俩/;
const MEMBER_COUNT = new RegExp(`${COUNT}个?[^，、]{0,4}?(?:孩子|娃|闺女|女儿|儿子|小子|丫头|孙|老人|老的|大人|小的|学生)`);
const FIRST_PERSON = /(?:我|俺|咱)们?/g;

/** People in one item of a list: "俺两口子" 2, "俩孩子" 2, "俺婆婆" 1, "俺们一起住" nobody new. */
function peopleIn(item: string): number {
  if (COUPLE.test(item)) return 2;
  if (/一个人|自己|自个/.test(item)) return 1;
  const n = count(MEMBER_COUNT.exec(item)?.[1]);
  if (n !== undefined) return n;
  return PERSON_WORD.test(item.replace(/(?:我|俺|咱)们/, '')) ? 1 : 0;
}

/**
 * The answer to "家里几口人？" told as who lives there: "就他一个人", "我爸我妈俩人住",
 * "俺两口子带俩孩子 还有俺娘", "我、孩子他爸、俩孩子". A stated total wins, then "alone",
 * then the people listed, each once.
 */
export function countHousehold(text: string): number | undefined {
  const t = normalizeUtterance(text);
  const withOthers = /带|和|跟|还有|、|加/.test(t);
  const totals = [...t.matchAll(TOTAL_SAID)].map((m) => count(m[1] ?? m[2])).filter((n): n is number => n !== undefined);
  const said = totals[totals.length - 1];
  // "一个人带两个娃" is not a household of one.
  if (said !== undefined && said >= 1 && said <= MAX_HOUSEHOLD && !(said === 1 && withOthers)) return said;
  if (ALONE.test(t) && !withOthers) return 1;
  // A list of who lives there is short; a longer story mentions people for other reasons. The answer
  // often comes first and the story after it ("就俺一个 前天在院里摔了一跤…").
  if (t.replace(/\s/g, '').length > 24) {
    const first = t.split(/[，,。；;！!？?\s]/)[0] ?? '';
    return first !== '' && first.length < t.length ? countHousehold(first) : undefined;
  }
  // 跟着 is "living with" ("外孙跟着我住"), not a joiner of a list.
  const items = [...new Set(t.split(/[、，,。\s]|和|跟(?!着)|还有|带着?|加上|加/).map((x) => x.trim()).filter(Boolean))];
  // The speaker counts once, however often "我" comes back ("我自己 还有个外孙跟着我住").
  let speaker = false;
  const n = items.reduce((sum, item) => {
    const people = peopleIn(item);
    const onlySpeaker = people === 1 && !PERSON_WORD.test(item.replace(FIRST_PERSON, ''));
    if (onlySpeaker && speaker) return sum;
    if (onlySpeaker || /自己|自个|一个人/.test(item)) speaker = true;
    return sum + people;
  }, 0);
  return n >= 1 && n <= MAX_HOUSEHOLD ? n : undefined;
}
