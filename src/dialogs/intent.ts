import { trackingNumberIn } from './answers.js';
import type { DialogContext } from './context.js';
import { categoriesIn } from './policies.js';
import type { ActiveFlow, Said } from './flow-turn.js';
import { extractSlots } from './understand/index.js';

/**
 * Which flow a free-text message asks for. Enquiry words are checked before
 * application words because "低保要什么条件" names a category but asks a question.
 */
export function intentOf(said: Said, ctx: DialogContext): ActiveFlow | undefined {
  const text = said.text;
  if (said.urgency.urgent || /紧急|急难|救命|求救/.test(text)) return 'emergency';
  if (/政策|咨询|了解|条件|标准|需要什么|要带|带什么|什么材料|怎么申请|怎么办理|能不能申请|能申请吗|可以申请吗|多久/.test(text)) {
    return 'enquiry';
  }
  if (trackingNumberIn(text) || /进度|查询|查一下|查查|查下|办得怎么样|办到哪|批了没|批下来|结果/.test(text) || askedAfterApplying(text)) return 'progress';
  if (/申请|办理|想办|要办|补助|补贴|救助|帮扶|困难/.test(text) || categoriesIn(text, ctx.policies).length > 0) {
    return 'application';
  }
  // A message that only carries form answers ("我叫王秀英，身份证…") is an application too.
  const { slots } = extractSlots(text, ctx.directory);
  return slots.name || slots.idNumber ? 'application' : undefined;
}

/** An application made before: "申请了", "报的", "上回报那个". */
const APPLIED_BEFORE = /(?:申请|报|交|办|递)(?:了|的|过)|(?:上回|上次|之前|前些天|前几天|上个月|去年|早先)[^，。？]{0,4}?(?:申请|报|交|办|递)/;
/** Asking what became of it: no news yet, nobody came or answered, how it stands, whether it will be granted. */
const WHAT_BECAME =
  /(?:还)?(?:没|不见)(?:有)?(?:信儿?|消息|动静|回音|下来|批|音信|通知)|(?:还)?(?:没|不见)(?:有)?人(?:来|理|联系|回|问|找|看)|(?:还)?没(?:来人|人影)|(?:咋|怎么)样了|到哪(?:一步)?了|给不给(?:办|批)|批没批|办没办|批不批|有没有(?:信|消息|结果)|到底(?:给|能|批|办|行)/;

/** "俺上个月申请的低保，咋还没信儿", "俺上回报那个临时救助 到底给不给办": an application made before, and what became of it. */
function askedAfterApplying(text: string): boolean {
  return APPLIED_BEFORE.test(text) && WHAT_BECAME.test(text);
}
