import { TRACKING_DIGITS, trackingNumberKind } from '../domain/tracking-number.js';
import { findDigitRuns, tokenWindows } from './understand/digits.js';
import { parseYesNo } from './understand/index.js';
import { RELATIONS, type Relation } from './state.js';
import { KINSHIP } from './understand/kinship.js';

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

/** "我是户主": the head of the household in question is the person it is about. */
const SELF = /(?:我|俺)?(?:本人|自己|自个儿?|自家)|就我|就俺|给我办|给俺办|(?:我|俺)(?:就)?是(?:这|俺|我)?(?:家|户)?的?户主/g;
/** Roles outside the village and the family that people apply for others in: a pupil's 班主任 is no village 主任. */
const OTHER_ROLES = '班主任|老师|教师|校长|医生|大夫|护士|社工|志愿者';
const RELATION_WORDS: ReadonlyArray<readonly [Relation, RegExp]> = [
  ['村干部', /村干部|村委|村里|社区|网格|书记|支书|(?<!班)主任|村长|组长|干部/],
  ['邻居', /邻居|街坊|隔壁|邻家|对门|楼上|楼下/],
  ['家属', KINSHIP],
  ['其他', new RegExp(`其他|朋友|同事|路过|同学|房东|老板|${OTHER_ROLES}`)],
];

/**
 * A named village, community or township ("向阳街道胜利社区的") says where someone lives, not that they are its
 * cadre; "村里的", "社区的" and "东鲁村的支书" still say a role.
 */
const NAMED_PLACE = /(?:(?![是在我俺咱的本这那])[\u4e00-\u9fff]){2,4}(?:镇|乡|街道)|(?:(?![是在我俺咱的本这那])[\u4e00-\u9fff]){2,3}(?:村|社区)(?![委里]|干部|书记|支书|主任|村长|组长|网格)/g;

/**
 * "俺是孩子奶奶", "我是俩娃的妈": the speaker telling who they are in the family, not to him or her (the applicant).
 * Beside "俺自个儿" it says whose household it is, not for whom they apply.
 */
const SELF_DESCRIBED = /(?:我|俺)是(?!他|她)[^，。,、\s]+/g;

/** Someone named besides oneself decides; words about oneself alone ("俺自个儿", "俺自个儿 俺是孩子奶奶") mean 本人. */
function relationIn(said: string): Relation | undefined {
  const text = said.replace(NAMED_PLACE, '');
  let others = text.replace(SELF, '');
  if (others !== text) others = others.replace(SELF_DESCRIBED, '');
  return RELATION_WORDS.find(([, re]) => re.test(others))?.[0] ?? (others !== text ? '本人' : undefined);
}

/**
 * The speaker saying what they are ("俺是村里的支部书记", "我是她闺女") outweighs whom they apply for. A family word
 * needs whose it is ("我是他老婆"): "我是单亲妈妈" tells about the speaker, not a relation.
 */
const SPEAKER_ROLE = new RegExp(
  `(?:我|俺)是.{0,10}?(${OTHER_ROLES}|村干部|村委|书记|支书|网格员|主任|村长|组长|邻居|街坊|隔壁|家属|家人|亲戚)|(?:我|俺)是(?:他|她|他们|她们|[^，。,\\s]{1,5}的)(${KINSHIP.source})`,
);
/**
 * Who is asking for whom. A bare answer to the question ("我儿子", "2") is read
 * loosely; inside other sentences only explicit phrasing counts, since "我和老伴两口人"
 * mentions family without applying for them.
 */
export function parseRelation(text: string, opts: { bare: boolean }): Relation | undefined {
  if (opts.bare) {
    const keyed = /^[1-5]$/.test(text) ? RELATIONS[Number(text) - 1] : undefined;
    const role = speakerRole(text);
    return keyed ?? (role ? relationIn(role) : relationIn(text));
  }
  if (/(给|为|帮)(我|俺)?(自己|自个)/.test(text)) return '本人';
  // "俺是他媳妇，俺来申请": the speaker applies in her own name; her tie to the sick one is not the relation.
  if (/(?:我|俺)(?:来|自己|自个儿?)(?:申请|办|报)(?![^，。,\s]{0,3}(?:给|替|帮))/.test(text)) return '本人';
  // Whoever is named first that says a relation: the speaker's role, for whom ("替俺娘办"), or whose the applicant is
  // ("申请人是俺老头子，俺是替他办的": 他 alone says nothing, 俺老头子 does; "申请人叫李大娘" says no relation).
  const said = [
    speakerRole(text),
    /(?:替|帮|代|给)(.{1,6}?)(?:申请|办|报)/.exec(text)?.[1],
    /申请人(?:是|为)?((?:我|俺|咱)[^，。,、\s]{0,6})/.exec(text)?.[1],
  ];
  for (const who of said) {
    const relation = who ? relationIn(who) : undefined;
    if (relation) return relation;
  }
  return undefined;
}

/** "我爸叫高立民", "俺邻居叫…": the speaker's family member, neighbour… named, said as whose the person is. */
const NAMED_AS = /((?:我|俺|咱)[^，。,、\s]{1,5}?)(?:的名字)?(?:叫|名叫|名字叫|名字是)/;

/**
 * Asked the applicant's name, an answer naming someone as the speaker's ("我爸叫高立民") says the relation: the
 * speaker applies for them. Only another person counts; "我叫…" is read as the speaker's own name elsewhere.
 */
export function relationOfNamed(text: string): Relation | undefined {
  const who = NAMED_AS.exec(text)?.[1];
  const relation = who ? relationIn(who) : undefined;
  return relation === '本人' ? undefined : relation;
}

/** What the speaker says they are; a family role not his or hers ("我自己，我是俩娃的妈") comes second to "myself". */
function speakerRole(text: string): string | undefined {
  const match = SPEAKER_ROLE.exec(text);
  if (!match) return undefined;
  const ownFamily = !!match[2] && !/是(?:他|她)/.test(match[0]) && new RegExp(SELF.source).test(text);
  return ownFamily ? undefined : (match[1] ?? match[2]);
}

/** Punctuation between digit groups ("2612，0734，5163", "2612.0734.5163") read as a space, so the groups join. */
const GROUP_PUNCT = /(?<=[0-9零〇洞幺一二两三四五六七拐八九勾])\s*[，,、.·]\s*(?=[0-9零〇洞幺一二两三四五六七拐八九勾])/g;

/** A tracking number read from what a resident wrote or said, or 12 digits that cannot be one (a slip to point out). */
export type TrackingReading = { kind: 'number'; value: string } | { kind: 'mistyped' };

/**
 * A tracking number (承办编号, src/domain/tracking-number.ts), as issued now (2612 0734 5163, check digit verified) or
 * before (202612070001). Residents type or say it in groups, with spaces, dashes or commas, in Chinese digits, or key
 * it on a phone. Twelve digits on their own, dated as a number of now, that fail its check digit are `mistyped`.
 */
export function readTrackingNumber(text: string): TrackingReading | undefined {
  let mistyped = false;
  for (const run of findDigitRuns(text.replace(GROUP_PUNCT, ' '), false)) {
    const alone = run.digits.length === TRACKING_DIGITS;
    for (const w of alone ? [run] : tokenWindows(run, TRACKING_DIGITS)) {
      const kind = trackingNumberKind(w.digits);
      if (kind === 'current' || kind === 'legacy') return { kind: 'number', value: w.digits };
      if (kind === 'mistyped' && alone) mistyped = true;
    }
  }
  return mistyped ? { kind: 'mistyped' } : undefined;
}

/** The tracking number in the text, when one reads right. */
export function trackingNumberIn(text: string): string | undefined {
  const r = readTrackingNumber(text);
  return r?.kind === 'number' ? r.value : undefined;
}

/**
 * Consent to the household check in the words people use: "查吧，俺不怕查", "她说中", "可以的";
 * a refusal anywhere in the answer wins.
 */
export function consentIn(text: string): boolean | undefined {
  // "不用你们查", "甭查了": a check said not to be wanted, whoever would do it.
  if (/不同意|不授权|不愿意|不行|不中|不可以|(?:不|别|甭|不用|不要|不能|不让|没必要|用不着)(?:你们|恁|您|人家|他们|政府)?(?:来|去)?(?:查|核对|核实)/.test(text)) return false;
  if (CHECK_ALLOWED.test(text)) return true;
  // Not yesNo: its loose 没有 would read "一分存款也没有", said of the money, as a no.
  const plain = parseYesNo(text);
  if (plain !== undefined) return plain;
  return /同意|授权/.test(text) ? true : undefined;
}

/**
 * The check allowed, however grudgingly or in part: "查呗", "查就查", "你们查去", "让查", "查我自己的可以",
 * "她说中". "查俺收入干啥" asks why, and allows nothing.
 */
const CHECK_ALLOWED =
  /查(?:吧|呗|嘛|就查|去吧?|好了)|(?:让|可以|随便|尽管|不怕|你们|恁|您)查|查[^，,。？?！!\s]{0,8}?(?:可以|都行|也行|行|中|没事|没问题)[的啊呀吧了]?(?=$|[，,。！!\s])|没意见|答应|(?:说|讲)(?:中|行|可以|同意|好)/;

/** "就打这个号", "用我现在这个手机": the number the resident is calling or texting from. */
export function meansThisNumber(text: string): boolean {
  return (
    /(?:这个|这|现在的?|本|当前)(?:号|手机|电话|机子)|本机|打(?:过)?来的|来电的?号|发短信的|就打这|就用这|(?:打|用)(?:我|俺)?(?:这个|这)(?:吧|就行|就中|就成|$)/.test(text) ||
    // A clause that only points at it ("打俺的 就这个", "电话就是这个"): the caller's own number, or "this one".
    text
      .split(/[\s，,。；;！!]+/)
      .some((c) => /^(?:(?:电话|手机|号码?)(?:号码?)?)?(?:就是|就|用|是)?这个(?:吧|就行|就中|就成|就可以|行)?$|^(?:就)?(?:打|用|找)(?:我|俺)的(?:吧|就行|就中|就成)?$/.test(c))
  );
}

/** A clause that only points at the resident's own mobile: "打我手机就行", "俺手机", "用我的手机号吧". */
const OWN_MOBILE = /^(?:就)?(?:打|用|找|联系|拨)?(?:我|俺)的?手机(?:号码?)?(?:吧|呗|就行|就中|就成|就可以|就好|也行|行)?$/;

/**
 * The number the resident calls or writes from: "this number", or "my mobile" when that number is a mobile (from a
 * landline, "打我手机" names another number; on WeCom there is none).
 */
export function meansCallerNumber(text: string, callerPhone: string | undefined): boolean {
  if (!callerPhone) return false;
  if (meansThisNumber(text)) return true;
  return /^1[3-9]\d{9}$/.test(nationalPhone(callerPhone)) && text.split(/[\s，,。；;！!]+/).some((c) => OWN_MOBILE.test(c));
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
