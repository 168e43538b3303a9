import { normalizeUtterance } from './normalize.js';
import type { Located } from './span.js';
import { surnameLength } from './surnames.js';

/** Phrases that introduce the resident's own name (or the applicant's, when someone applies for them). */
/** Whoever the name belongs to: the speaker, kin, a neighbour ("俺娘叫王秀兰", "老人家叫赵洪福"). */
const PERSON =
  '(?:我|俺|咱|他|她|我们|俺们)?(?:的|家)?(?:娘|爹|妈|爸|母亲|父亲|老娘|老爹|老伴儿?|婆婆|公公|奶奶|爷爷|姥姥|姥爷|儿子|儿|娃|闺女|女儿|孙子|孙女|外孙女?|老人家?|老太太|老爷子|老头子?儿?|老婆子|老太婆|当家的|孩子他爹|孩子他妈|孩子他爸|大爷|大娘|孩子|小孩|媳妇|丈夫|老公|老婆|爱人|对象|邻居|村民|户主|申请人|哥哥?|姐姐?|弟弟?|妹妹?|叔叔?|婶子?|舅舅?|姨|侄子|侄女|这人|那人|他|她)';
const TRIGGER = new RegExp(
  `(?:我的名字|名字)(?:叫|是)?[：:]?|姓名(?:是|叫|为)?[：:]?|名叫|(?:我|俺|本人|我就|俺就)叫|${PERSON}(?:的名字|名字)?叫|申请人(?:姓名)?(?:是|叫)?[：:]?|户主(?:姓名)?(?:是|叫)?[：:]?|本人(?:是)?[：:]?|(?:我|俺)是|^叫`,
  'g',
);
/** "我姓王，王秀兰": the surname said first, then the whole name. */
const SURNAME_FIRST = /姓([\u4e00-\u9fff])[，,、\s]*(?:叫)?(\1[\u4e00-\u9fff]{1,2})(?![\u4e00-\u9fff])/;
const HAN_RUN = /[\u4e00-\u9fff]{1,8}/y;

/** Words that follow a name when residents run on without punctuation ("我叫王秀英今年七十"). */
const FOLLOWERS = [
  '的', '身份证', '身份', '家', '住', '今年', '年龄', '岁', '电话', '手机', '号码', '联系', '想', '要', '需要', '申请',
  '是', '我', '俺', '在', '从', '来自', '现在', '男的', '女的', '性别', '老伴', '和', '跟', '给', '帮', '请', '因为',
  '户口', '得了', '生病', '有', '没', '今天', '刚', '这', '那', '啊', '呀', '呢', '吧', '嘛', '哈', '哦', '了', '已经',
  '也', '就', '都', '村', '镇', '乡', '街道', '社区',
];
const NUMERAL_CHAR = /^[零〇一二两三四五六七八九十百]/;

/** A name never contains these: they mark a description ("我是他女儿", "我是低保户", "我是村里的"). */
const NEVER_IN_NAME = [
  '的', '了', '吗', '呢', '吧', '啊', '呀', '个', '们', '这', '那', '哪', '谁', '什么', '不', '没', '是', '说', '问',
  '村', '镇', '乡', '县', '区', '市', '省', '街道', '社区', '申请', '低保', '救助', '女儿', '儿子', '老伴', '家属',
  '村民', '邻居', '他', '她', '我', '你', '俺', '人',
];
/** Forms of address and place endings: "王大妈", "张家", "王庄" are not full names. */
const NEVER_ENDS_NAME = [
  '大妈', '大爷', '大娘', '奶奶', '爷爷', '阿姨', '叔叔', '师傅', '老师', '大姐', '大哥', '先生', '女士', '婶', '嫂',
  '姐', '哥', '家', '庄', '屯', '寨', '街',
];
/** After a name these mean the words were a place or a relation: "我是李官镇的", "我是李官那边的", "我是王秀英的女儿". */
const NOT_AFTER_NAME = /^(?:的|村|镇|乡|街|社区|县|区|市|那边|这边|那里|这里|那儿|这儿|附近|一带|那块)/;
/** "我是…" names the speaker only when it says who, not where from or what of: the trigger that says it. */
const IS_TRIGGER = /(?:我|俺)是$/;
/**
 * After "我是X", words that make X a modifier, not a name: a determiner ("俺是城南那个厂的", "我是东关这家超市的"), or the
 * clause ending in 的 ("我是李明家的", "我是二中退休的"): what the speaker belongs to or comes from. ("我是王秀英想来问低保的"
 * goes on to what the speaker wants: the name stands.)
 */
const DESCRIBED_AFTER = /^(?:那个|这个|那家|这家|那边|这边)|^(?!想|要|来|问|打|申请|办)[^，。！？,!?\s]*的(?=$|[，。！？,!?\s])/;

function plausibleName(candidate: string): boolean {
  const surname = surnameLength(candidate);
  if (surname === 0 || candidate.length <= surname || candidate.length > 4) return false;
  // Four characters: a compound surname (欧阳秀英) or two surnames (张王秀英).
  if (candidate.length === 4 && surname === 1 && surnameLength(candidate.slice(1)) === 0) return false;
  return !NEVER_IN_NAME.some((w) => candidate.includes(w)) && !NEVER_ENDS_NAME.some((w) => candidate.endsWith(w));
}

/** The name at the start of a run of Han characters: cut where a following word begins. */
function leadingName(run: string): string | undefined {
  for (let k = 2; k <= Math.min(4, run.length); k++) {
    const rest = run.slice(k);
    if (rest === '' || NUMERAL_CHAR.test(rest) || FOLLOWERS.some((w) => rest.startsWith(w))) return run.slice(0, k);
  }
  return undefined;
}

/** Whose name it is: the speaker's ("俺叫…"), or someone the speaker talks about ("俺娘叫…", "申请人是…"). */
export type NameOf = 'speaker' | 'other';
const SPEAKER_TRIGGER = /^(?:我的名字|(?:我|俺|本人|我就|俺就)叫|本人|(?:我|俺)是|我|俺)/;

export function locateName(text: string): (Located<string> & { of: NameOf }) | undefined {
  const surnameFirst = SURNAME_FIRST.exec(text);
  if (surnameFirst && plausibleName(surnameFirst[2]!)) {
    const of = /(?:我|俺)$/.test(text.slice(0, surnameFirst.index)) ? 'speaker' : 'other';
    return { value: surnameFirst[2]!, start: surnameFirst.index, end: surnameFirst.index + surnameFirst[0].length, of };
  }
  for (const m of text.matchAll(TRIGGER)) {
    let at = m.index + m[0].length;
    while (text[at] === ' ') at++;
    HAN_RUN.lastIndex = at;
    const run = HAN_RUN.exec(text)?.[0];
    const name = run && leadingName(run);
    if (!name || !plausibleName(name)) continue;
    const end = at + name.length;
    if (NOT_AFTER_NAME.test(text.slice(end))) continue;
    if (IS_TRIGGER.test(m[0]) && DESCRIBED_AFTER.test(text.slice(end))) continue;
    const kin = new RegExp(`^${PERSON}`).exec(m[0])?.[0];
    // "我娘叫…" starts with 我 but names the mother; only a bare first person is the speaker.
    const of = SPEAKER_TRIGGER.test(m[0]) && !(kin && kin.length > 1) ? 'speaker' : 'other';
    return { value: name, start: m.index, end, of };
  }
  return undefined;
}

/** A clause that is only a name ("叫王秀英", "王秀英啊"), as when the resident was just asked "您叫什么名字？". */
function nameClause(clause: string): string | undefined {
  const answer = clause
    .replace(/[\s，,。.！!？?、]/g, '')
    .replace(/^(?:嗯|哦|啊)+/, '')
    .replace(/^(?:叫|是)/, '')
    .replace(/(?:啊|呀|吧|呢|哈|哦)+$/, '');
  return /^[\u4e00-\u9fff]{2,4}$/.test(answer) && plausibleName(answer) ? answer : undefined;
}

/**
 * A reply to "what is the name?": the first clause that is only a name. What follows a name is often
 * how its characters are written ("秀气的秀"), what comes before it who it belongs to ("写俺爹的名 孟庆山").
 */
function bareName(text: string): string | undefined {
  const clauses = text.split(/[，,。.！!？?、\s]/).filter((c) => c.trim() && !/^(?:嗯|哦|啊|对|是|好)+$/.test(c.trim()));
  for (const clause of clauses) {
    if (SPELLING_AID.test(clause)) break;
    const name = nameClause(clause);
    if (name) return name;
  }
  return undefined;
}

/** "孟子的孟": a character named by a word that holds it. */
const SPELLING_AID = /([\u4e00-\u9fff]{1,3})的([\u4e00-\u9fff])/;

/** The text without its spelling aids ("洪水的洪"), which name no situation. */
export function withoutSpellingAidsOfNames(text: string): string {
  return text.replace(new RegExp(SPELLING_AID.source, 'g'), (aid, word: string, ch: string) => (word.includes(ch) ? '' : aid));
}

/** The name its spelling aids spell out, character by character ("孟子的孟 庆祝的庆 山水的山" is 孟庆山). */
function spelledName(text: string): string | undefined {
  const chars = [...text.matchAll(new RegExp(SPELLING_AID.source, 'g'))].filter((m) => m[1]!.includes(m[2]!)).map((m) => m[2]!);
  const name = chars.join('');
  return chars.length >= 2 && plausibleName(name) ? name : undefined;
}

/** Asked for a name, whatever stands before 叫 names its owner ("俺那口子叫…"). */
function afterCalled(text: string): string | undefined {
  const run = /叫\s?([\u4e00-\u9fff]{2,8})/.exec(text)?.[1];
  const name = run && leadingName(run);
  return name && plausibleName(name) ? name : undefined;
}

export function extractName(text: string, options: { bareAnswer?: boolean } = {}): string | undefined {
  const normalized = normalizeUtterance(text);
  return locateName(normalized)?.value ?? (options.bareAnswer ? (afterCalled(normalized) ?? bareName(normalized) ?? spelledName(normalized)) : undefined);
}
