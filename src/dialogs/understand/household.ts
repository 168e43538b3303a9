import { splitClauses } from './clauses.js';
import { KINSHIP, SPOUSE_WORDS } from './kinship.js';
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
const SHORT_ANSWER = new RegExp(`^(?:嗯|哦)?(?:现在|如今|目前)?(?:是|有|就|一共|总共|共)*${COUNT}(?:口人|口|个人|个|人)(?:吧|啊|呀|了|呢|哈)?$`);

/** A clause that is only a count of people ("是四口", "应该是五个人"), not of things ("四个"). */
const HEAD_COUNT = new RegExp(`^(?:应该|应当|其实|实际上?)?(?:是|有|就|一共|总共|共)*${COUNT}(?:口人|口|个人|人)(?:吧|啊|呀|了|呢|哈)?$`);

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
  // Clauses, and on voice the stretches between pauses ("不对 是四口").
  for (const clause of splitClauses(text)) {
    for (const part of clause.text.matchAll(/[^\s]+/g)) {
      const answer = SHORT_ANSWER.exec(part[0]);
      const value = count(answer?.[1]);
      const start = clause.start + part.index;
      if (value !== undefined) found.push({ value, start, end: start + part[0].length });
    }
  }
  return found;
}

/**
 * Household size in normalized text. When several are said, the one ending last wins, so a
 * correction ("原来五口人，现在三口人") and the fullest phrase ("我一个人带两个孩子") count; one put in the past
 * ("以前五口人") never does.
 */
export function locateHouseholdSize(text: string): Located<number> | undefined {
  const said = candidates(text).filter((c) => c.value >= 1 && c.value <= MAX_HOUSEHOLD && !negated(text, c.start));
  // "现在三口人，以前五口人": what the household was is no answer.
  const plausible = said.filter((c) => !formerly(text, c.start, c.end));
  plausible.sort((a, b) => b.end - a.end || a.start - b.start);
  return plausible[0];
}

/**
 * A total said outright ("一家四口", "家里三个人"), the only household size taken from words said by
 * the way: "孩子留给俺老两口" or "我跟我老婆都下岗了" names some of the family, not all of it.
 */
export function statesHouseholdTotal(text: string): boolean {
  const normal = normalizeUtterance(text);
  if (TOTALS.some((pattern) => new RegExp(pattern.source).test(normal))) return true;
  // "不对 是四口": a clause that is only a head count says the total too.
  return normal.split(/[，,。！!？?；;\s]/).some((clause) => HEAD_COUNT.test(clause));
}

export function extractHouseholdSize(text: string): number | undefined {
  return locateHouseholdSize(normalizeUtterance(text))?.value;
}

/** Who a count of people together is made of: "娘仨", "母女俩". */
const PAIR = '(?:娘儿?|爷儿?|母子|母女|父子|父女)';
/** Words that add whoever follows to the speaker: "我带着他俩" is three. */
const JOINED = '[带着和跟同与加上]';
/**
 * A total said outright: "一共五口", "仨人", "四口", "三个人" (not the 两口 of 两口子); also who lives there counted by
 * a pronoun, "(爹娘)他俩过", "她们娘仨住一块" (not "带着他俩", where the speaker comes on top).
 */
const TOTAL_SAID = new RegExp(
  `(?<!老)${COUNT}(?:口人|口(?!子)|个人|人)|(?<!${JOINED}(?:他|她)们?)(俩|仨)(?:人|(?:住|过)?$)|(?<!${JOINED})(?:他|她)们?${PAIR}?(俩|仨)(?:个?人)?(?:一起|一块儿?)?(?:住|过|生活)`,
  'g',
);
/** Words that put a total in the past: "原来是四口" is what the household was, not what it is. */
const FORMERLY = /原来|原先|本来|以前|之前|过去|早先|那时候?/;
/**
 * Asking whether someone counts ("俺婆婆跟俺们一块住 算不算", "孙子也算吗") is a question about the answer, not
 * the answer: a last clause that asks one way or the other (A不A) or ends in 吗 or a question mark.
 */
const ASKS_BACK = /(?:(.)不\1|吗|么|[？?])[啊呀呢哈]?$/;
/** A clause that adds to a list of who lives there ("还有俩孙子", "再就是她") or says who is not counted ("他不算"). */
const LIST_GOES_ON = /^(?:还有|再有|再就是|另外|加上|再加上?|以及)|不算|也算|算上/;
const ALONE = /(?:自己|自个儿?|一个人|一人|单过|独自|一个(?:住|过)?$)/;

/** A couple said as one: the speaker and their spouse ("俺两口子"), or another couple ("他家老两口"). */
const COUPLE = /两口子|老两口/;
/** The speaker and others counted together ("俺俩", "我们仨", "娘俩"): the others may be named beside it. */
const WITH_SPEAKER = new RegExp(`(?:(?:我|俺|咱)们?|${PAIR})(俩|仨)`);
/** Others counted together ("他俩", "她们仨"). */
const OTHERS_COUNTED = /(?:他|她)们?(俩|仨)/;
/** Someone not living there: away, married out, split off, or dead ("他爹娘在外头打工", "老伴前年没了"). */
const NOT_THERE =
  /在外地|在外头|在外面|在外边|外出|不在家|不在一块|不在一起|不住一起|不跟.{0,3}住|嫁出去|出嫁|嫁(?!过来|进来|到(?:俺|我|咱)家)|成家|分家|分出去|搬出去|出去了|没了|走了|走得早|去世|过世|死了|不在了/;
/** Away only for school, or still on the household's books: still one of them ("闺女在外地上大学，放假回来住"). */
const STILL_THERE = /上学|上大学|读书|念书|上高中|回来住|户口/;
/** Any word for a person. */
const PERSON = new RegExp(`我|俺|咱|他|她|小孩|娃|${KINSHIP.source}`);
/** A pronoun said as an item of the list ("再就是她"), not about someone just named ("他也有病"). */
const PRONOUN_ITEM = /^(?:再|就是|还有|也|是|跟|和)*(?:他|她)$/;
/**
 * A family member, or a child said without a family word ("小子", "娃"); an ordinal keeps two sons apart. "娘家" is
 * a place (her parents' home), not the mother.
 */
const MEMBER_WORD = new RegExp(`([大二三四小老]?)(${KINSHIP.source}|小孩|娃|小子|丫头)儿?(?!家)`, 'g');
/** Words for the spouse, one person however said. */
const SPOUSE = new Set<string>(SPOUSE_WORDS);
/** The same parent said two ways ("我爸…我爹"). */
const SAME_PERSON: Record<string, string> = { 爹: '爸', 父亲: '爸', 娘: '妈', 母亲: '妈' };
/** The speaker as such, not as whose ("我妈") or in "我们". */
const SPEAKER = new RegExp(`(?:我|俺|咱)(?!们|的|家|[大二三四五小老]?(?:${KINSHIP.source}))|自己|自个|一个人`);
/** The speaker said as the whole answer: "就我", "只有俺自个儿", "我". */
const SPEAKER_ONLY = /^(?:就|只有|只|光|还有|就是|是)?(?:我|俺|咱)(?:自己|自个儿?)?(?:一个|一人|一个人)?(?:呀|啊|吧|了|呗|哩)?$/;
/** "俩孩子", "三个孙子", "两个老的" (but "二儿子" is the second son). */
const MEMBER_COUNT = new RegExp(
  `((?:${NUMERAL})(?=个)|俩|仨|两)个?[^，、]{0,4}?(孩子|娃|闺女|女儿|儿子|小子|丫头|孙|老人|老的|大人|小的|学生|${KINSHIP.source})`,
);
/** A family within the household, counted as one: "还有儿子一家四口" (with the speaker's couple, six). */
const SUB_FAMILY = new RegExp(`(?:${KINSHIP.source})(?:他们|她们)?一家子?${COUNT}口人?`);

/** Who one item of a list names: the speaker, members by who they are, and people only counted. */
type Named = { speaker: boolean; members: string[]; counted: number; unnamed: number; pronoun: boolean };

function named(item: string): Named {
  const who: Named = { speaker: false, members: [], counted: 0, unnamed: 0, pronoun: false };
  if (away(item)) return who;
  const withSpeaker = WITH_SPEAKER.exec(item);
  const others = OTHERS_COUNTED.exec(item);
  const many = count(MEMBER_COUNT.exec(item)?.[1]);
  const family = SUB_FAMILY.exec(item);
  if (family) {
    who.counted = count(family[1]) ?? 0;
    return who;
  }
  if (COUPLE.test(item)) {
    // "他家老两口" is a couple of others; "俺两口子" the speaker and the spouse.
    if (/他|她/.test(item)) {
      who.counted = 2;
    } else {
      who.speaker = true;
      who.members.push('spouse');
    }
    // "俺两口子俩孩子": others counted in the same breath as the couple come on top of it.
    const more = count(MEMBER_COUNT.exec(item.replace(COUPLE, ''))?.[1]);
    if (more !== undefined) {
      who.counted += more;
      return who;
    }
  } else if (many !== undefined) {
    // "俩孩子" are two, "俺爹俺娘俩老的" two (not 娘俩); "俺两个老的" are the speaker and one more, counted.
    who.counted = many;
    return who;
  } else if (withSpeaker) {
    who.speaker = true;
    who.unnamed = count(withSpeaker[1])! - 1;
  } else if (others) {
    who.counted = count(others[1])!;
  }
  if (SPEAKER.test(item)) who.speaker = true;
  // The 儿 of 自个儿 is nobody's son.
  for (const m of item.replace(/自个儿?|自己/g, '').matchAll(MEMBER_WORD)) {
    const word = m[2]!;
    const key = SPOUSE.has(word) ? 'spouse' : `${m[1]}${SAME_PERSON[word] ?? word}`;
    if (!who.members.includes(key)) who.members.push(key);
  }
  who.pronoun = who.members.length === 0 && who.counted === 0 && !who.speaker && /他|她/.test(item);
  return who;
}

/** Said to live elsewhere or to be gone ("在外地打工", "前年没了"), not "还没出嫁" nor away at school. */
function away(item: string): boolean {
  const m = NOT_THERE.exec(item);
  return !!m && !/(?:没|不|未)$/.test(item.slice(0, m.index)) && !STILL_THERE.test(item);
}

/** Whether a pronoun names someone new: said as an item of the list, or before anyone else was named. */
function newPerson(item: string, anyoneNamed: boolean): boolean {
  return PRONOUN_ITEM.test(item) || !anyoneNamed;
}

/**
 * Everyone a list of who lives there names, each once: "我、我媳妇、我儿子，再加我妈" with "我妈" said twice is four;
 * "俺跟俺老头子 他也有病" is two (他 is the one just named), "我和她爷爷，再就是她" three; "俺俩 俺跟俺老头子" is two
 * (the 俩 are the two named), but "俺俩 还有孙子" three; someone said to live elsewhere (not for school) or to have
 * died is not counted.
 */
function everyoneIn(text: string, items: string[]): number {
  const members = new Set<string>();
  let speaker = false;
  let counted = 0;
  let unnamed = 0;
  const said = items.map((item) => ({ item, who: named(item) }));
  // "俺儿 在外地打工", "俺在城里打工，不在家住": said of the one named just before.
  const kept = said.filter(({ item }, i) => {
    const next = said[i + 1]?.item;
    return !(next && away(next) && !PERSON.test(next));
  });
  for (const { item, who } of kept) {
    if (who.pronoun && !newPerson(item, members.size > 0 || counted > 0)) continue;
    speaker ||= who.speaker;
    for (const m of who.members) members.add(m);
    counted += who.counted + (who.pronoun ? 1 : 0);
    unnamed += who.unnamed;
  }
  // "俺跟老伴俺俩": the others of "俺俩" are those named, unless added to them ("还有", "加上", "带").
  const adds = /还有|加上|再加|加|带/.test(text);
  const others = members.size + counted;
  // With nobody else, "我" must be said as the one who lives there ("就我"), not as whose ("你记下我电话吧").
  const alone = text.split(/[、，,。；;！!？?\s]/).some((c) => SPEAKER_ONLY.test(c) || ALONE.test(c));
  if (others + unnamed === 0 && !alone) return 0;
  return (speaker ? 1 : 0) + (adds ? others + unnamed : Math.max(others, unnamed));
}

/** Whether the clause holding text[start, end) puts what is said there in the past ("原来是四口", "我家以前五口人"). */
function formerly(text: string, start: number, end: number): boolean {
  const clauseStart = Math.max(...[...'，,。；;！!？? '].map((p) => text.lastIndexOf(p, start - 1))) + 1;
  return FORMERLY.test(text.slice(clauseStart, end));
}

/**
 * The answer to "家里几口人？" told as who lives there: "就他一个人", "我爸我妈俩人住",
 * "俺两口子带俩孩子 还有俺娘", "我、孩子他爸、俩孩子". A stated total wins, then "alone",
 * then the people listed, each once.
 */
export function countHousehold(text: string): number | undefined {
  const t = normalizeUtterance(text);
  const withOthers = /带|和|跟|还有|、|加/.test(t);
  // "儿子一家四口" is a family within the household, not its total.
  const families = [...t.matchAll(new RegExp(SUB_FAMILY.source, 'g'))].map((m) => [m.index, m.index + m[0].length]);
  const stated = [...t.matchAll(TOTAL_SAID)]
    .filter((m) => !families.some(([a, b]) => m.index >= a! && m.index < b!))
    .map((m) => ({ n: count(m[1] ?? m[2] ?? m[3]), past: formerly(t, m.index, m.index + m[0].length) }))
    .filter((x): x is { n: number; past: boolean } => x.n !== undefined);
  // "现在是三口人…原来是四口": the household as it is now, whatever order the two are said in. Only what it was
  // ("原来五口，老伴走了，现在就俺跟闺女") is left to the other readers.
  const now = stated.filter((x) => !x.past);
  if (stated.length > 0 && now.length === 0) return undefined;
  const said = now[now.length - 1]?.n;
  if (said === undefined && ASKS_BACK.test(t)) return undefined;
  // "一个人带两个娃" is not a household of one.
  if (said !== undefined && said >= 1 && said <= MAX_HOUSEHOLD && !(said === 1 && withOthers)) return said;
  if (ALONE.test(t) && !withOthers) return 1;
  // A list of who lives there is short; a longer story mentions people for other reasons. The answer
  // often comes first and the story after it ("就俺一个 前天在院里摔了一跤…").
  if (t.replace(/\s/g, '').length > 24) {
    // Clauses that carry the list on ("…，还有俩侄子上学，我嫁出去了不算吧") are part of the answer; the story starts after.
    const clauses = t.split(/[，,。；;！!？?\s]/).filter(Boolean);
    const end = clauses.findIndex((c, i) => i > 0 && !LIST_GOES_ON.test(c) && !(away(c) && PERSON.test(c)));
    if (end !== -1) return countHousehold(clauses.slice(0, end).join('，'));
  }
  // 跟着 is "living with" ("外孙跟着我住"), not a joiner of a list.
  const items = t.split(/[、，,。\s]|和|跟(?!着)|还有|带着?|加上|加/).map((x) => x.trim()).filter(Boolean);
  const n = everyoneIn(t, items);
  return n >= 1 && n <= MAX_HOUSEHOLD ? n : undefined;
}
