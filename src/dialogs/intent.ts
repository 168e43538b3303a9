import { trackingNumberIn } from './answers.js';
import type { DialogContext } from './context.js';
import { categoriesIn } from './policies.js';
import type { ActiveFlow, Said } from './flow-turn.js';
import { extractSlots } from './understand/index.js';

/**
 * Which flow a free-text message asks for. Policy words are checked before application words because
 * "低保要什么条件" names a category but asks a question. A duration question comes after progress: "查查进度，还得
 * 等多久" asks about one's own case, "低保一般多长时间能批下来" (no case behind it) about the policy. So does a bare
 * "了解/咨询": it only says the resident is asking, and "想了解一下我那个事走到哪一步了" asks after their own case.
 */
export function intentOf(said: Said, ctx: DialogContext): ActiveFlow | undefined {
  const text = said.text;
  if (said.urgency.urgent || /紧急|急难|救命|求救/.test(text)) return 'emergency';
  if (/政策|条件|标准|需要什么|要带|带什么|什么材料|怎么申请|怎么办理|能不能申请|能申请吗|可以申请吗/.test(text)) return 'enquiry';
  if (trackingNumberIn(text) || /进度|查询|查一下|查查|查下|办得怎么样/.test(text) || asksAfterOwnCase(text, ctx)) return 'progress';
  if (/咨询|了解|多久|多长时间/.test(text)) return 'enquiry';
  if (/申请|办理|想办|要办|补助|补贴|救助|帮扶|困难/.test(text) || categoriesIn(text, ctx.policies).length > 0) {
    return 'application';
  }
  // A message that only carries form answers ("我叫王秀英，身份证…") is an application too.
  const { slots } = extractSlots(text, ctx.directory);
  return slots.name || slots.idNumber ? 'application' : undefined;
}

/**
 * Asking where a decision stands presupposes an application, whoever made it: "批没批", "五保办下来了没有",
 * "有信儿没", "审到哪了", "结果出来了吗". "能批下来" is no such question: it asks how a decision goes in general.
 */
const STANDS_WHERE =
  /[批办]没[批办]|批了(?:没|吗|不)|下来(?:了)?(?:没|吗)|到哪一?步|(?:审|审批|审核|批|办|走)到哪|有(?:结果|信儿?|消息|回音|音信)(?:了)?(?:没|吗)|有没有(?:信|消息|结果|回音)|结果出来(?:了)?(?:没|吗)/;

/** A span of time: "半个多月", "二十来天", "好几个月", "好些日子", "俩礼拜". */
const SPAN = '(?:半|好几|好些|[\\d一二两俩三四五六七八九十几]+)个?[多来]?个?(?:天|日子|星期|礼拜|周|月|年)';

/**
 * An application told as past: "申请了", "申的那个", "报上去的", "交了材料", "上回报那个", a span since
 * ("申请半个多月了", "交上去二十多天了"), passed up by the village ("村里说交到镇上了"), or one's own case pointed
 * at ("俺那个五保", "俺家那个危房改造"). "想申请的", "要交的" are wishes and duties, not something done.
 */
const APPLIED_BEFORE = new RegExp(
  [
    '(?<![想要能])(?:申请|申|报|交|办|递)(?:上去|上)?(?:了|的|过)',
    '(?:交|报|递|送|转)(?:到|给)[^，。？]{0,4}?(?:镇|乡|街道|县|区|民政|上面|上边|上级)[^，。？]{0,3}?了',
    '(?:上回|上次|之前|前些天|前几天|上个月|去年|早先)[^，。？]{0,4}?(?:申请|报|交|办|递)',
    `(?:申请|申|报|交|递)(?:上去|上)?了?(?:都|已经|快|有)?${SPAN}`,
    '(?:俺|我|咱)家?的?那个',
  ].join('|'),
);

/** Time waited ("都一个多月了", "都过去二十多天了"): told of an assistance by name, it says it was applied for. */
const WAITED = new RegExp(`(?:都|已经|快)(?:过去|等了)?${SPAN}了`);

/**
 * What became of it: no news yet ("还没个信儿"), nobody came or answered, how it stands, whether or when it will be
 * granted or the money arrive ("钱啥时候能打到卡上"). Said of nothing applied for ("俺娘身体咋样了") it is no
 * progress question.
 */
const WHAT_BECAME = new RegExp(
  [
    '(?:还)?(?:没|不见)(?:有)?(?:(?:个|点|啥|一点|半点)?(?:信儿?|消息|动静|回音|音信|通知)|下来|批)',
    '(?:钱|补助|补贴|救助金)[^，。？]{0,3}?没(?:有)?(?:到|打|发|给|下来)',
    '(?:信儿?|消息|动静|回音|音信)(?:都|也)?没有?',
    '(?:还)?(?:没|没见|不见)(?:有)?人(?:来|理|管|联系|回|问|找|看)',
    '(?:还)?没(?:来人|人影)',
    '(?:咋|怎么)样了',
    '给不给(?:办|批)|批不批',
    '到底(?:给|能|批|办|行)',
    '(?:啥|什么)时候(?:能|才能|才|可以)?(?:下来|批|给|发|到账|打|到|领|来人)',
    '还(?:要|得)等?多久',
  ].join('|'),
);

/** Applying now, or again: "我想申请低保", "以前申请过没批，这回想再申请". */
const WANTS_TO_APPLY = /(?:想|打算|准备)(?:再|重新)?(?:申请|报|办)(?![的过了])|要(?:再|重新)?申请(?![的过了])|要(?:再|重新)(?:报|办)/;

/**
 * "俺上个月申请的低保，咋还没信儿", "俺上回报那个临时救助 到底给不给办": a case of one's own, and what became of it.
 * A resident who says they want to apply is making a new application, whatever became of an earlier one.
 */
function asksAfterOwnCase(text: string, ctx: DialogContext): boolean {
  if (WANTS_TO_APPLY.test(text)) return false;
  if (STANDS_WHERE.test(text)) return true;
  const applied = APPLIED_BEFORE.test(text) || (WAITED.test(text) && categoriesIn(text, ctx.policies).length > 0);
  return applied && WHAT_BECAME.test(text);
}
