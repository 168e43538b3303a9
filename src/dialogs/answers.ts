import { findDigitRuns } from './understand/digits.js';
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

const SELF = /(?:我|俺)?(?:本人|自己|自个儿?|自家)|就我|就俺|给我办|给俺办/g;
const RELATION_WORDS: ReadonlyArray<readonly [Relation, RegExp]> = [
  ['村干部', /村干部|村委|村里|社区|网格|书记|支书|主任|村长|组长|干部/],
  ['邻居', /邻居|街坊|隔壁|邻家|对门|楼上|楼下/],
  ['家属', KINSHIP],
  ['其他', /其他|朋友|同事|志愿者|路过|老师|同学|房东|老板/],
];

/** Someone named besides oneself decides; words about oneself alone ("俺自个儿") mean 本人. */
function relationIn(text: string): Relation | undefined {
  const others = text.replace(SELF, '');
  return RELATION_WORDS.find(([, re]) => re.test(others))?.[0] ?? (others !== text ? '本人' : undefined);
}

/**
 * The speaker saying what they are ("俺是村里的支部书记", "我是她闺女") outweighs whom they apply for. A family word
 * needs whose it is ("我是他老婆"): "我是单亲妈妈" tells about the speaker, not a relation.
 */
const SPEAKER_ROLE = new RegExp(
  `(?:我|俺)是.{0,10}?(村干部|村委|书记|支书|网格员|主任|村长|组长|邻居|街坊|隔壁|志愿者|老师|家属|家人|亲戚)|(?:我|俺)是(?:他|她|他们|她们|[^，。,\\s]{1,5}的)(${KINSHIP.source})`,
);
/**
 * Who is asking for whom. A bare answer to the question ("我儿子", "2") is read
 * loosely; inside other sentences only explicit phrasing counts, since "我和老伴两口人"
 * mentions family without applying for them.
 */
export function parseRelation(text: string, opts: { bare: boolean }): Relation | undefined {
  if (opts.bare) {
    const keyed = /^[1-5]$/.test(text) ? RELATIONS[Number(text) - 1] : undefined;
    const match = SPEAKER_ROLE.exec(text);
    const role = match?.[1] ?? match?.[2];
    return keyed ?? (role ? relationIn(role) : relationIn(text));
  }
  if (/(给|为|帮)(我|俺)?(自己|自个)/.test(text)) return '本人';
  const role = SPEAKER_ROLE.exec(text);
  const who = role?.[1] ?? role?.[2] ?? /(?:替|帮|代|给)(.{1,6}?)(?:申请|办|报)/.exec(text)?.[1];
  return who ? relationIn(who) : undefined;
}

/**
 * A tracking number (承办编号) as issued: 12 digits, the date and a daily sequence (202612070001).
 * Residents type or say it in groups, with dashes or spaces, in Chinese digits, or keyed on a phone.
 */
export function trackingNumberIn(text: string): string | undefined {
  for (const run of findDigitRuns(text, false)) {
    const m = /(?:^|\D)(20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4})(?!\d)/.exec(run.digits);
    if (m && run.digits.length === 12) return m[1];
  }
  return undefined;
}

/**
 * Consent to the household check in the words people use: "查吧，俺不怕查", "她说中", "可以的";
 * a refusal anywhere in the answer wins.
 */
export function consentIn(text: string): boolean | undefined {
  if (/不同意|不授权|不让查|别查|不能查|不要查|不愿意|不行|不中|不可以/.test(text)) return false;
  if (/查吧|查就查|让查|可以查|随便查|不怕查|你们查|查去吧|没意见|答应|(?:说|讲)(?:中|行|可以|同意|好)/.test(text)) return true;
  return yesNo(text);
}

/** "就打这个号", "用我现在这个手机": the number the resident is calling or texting from. */
export function meansThisNumber(text: string): boolean {
  return /(?:这个|这|现在的?|本|当前)(?:号|手机|电话|机子)|打(?:过)?来的|来电的?号|发短信的|就打这|就用这|(?:打|用)(?:我|俺)?(?:这个|这)(?:吧|就行|就中|就成|$)|^(?:就|用)?这个(?:吧|就行|就中|就成|就可以|行)?$/.test(text);
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
