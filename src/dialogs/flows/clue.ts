import type { Reply } from '../../domain/messages.js';
import type { DialogContext } from '../context.js';
import type { AsideResult, ReportClue } from '../effects.js';
import { matchPlace, normalizeUtterance } from '../understand/index.js';

/**
 * 主动发现 in the WeCom app: a village assistant's report, a message that starts with 线索 (or 发现). It is answered
 * beside the guided dialog (it neither reads nor changes the dialog state): the runner records the clue as a case
 * routed to the township (the `report_clue` effect) and the receipt below is the answer.
 */
const CLUE = /^\s*(线索|发现|主动发现)\s*[:：,，\s]\s*/;

export const CLUE_HOW_TO = '请按这个格式发送线索：“线索：镇街+村居，看到的情况”，例如“线索：枣园镇东鲁村，有位独居老人家里断粮了”。';

/** The clue a message reports, or the how-to when it names no place; undefined when the message is not a clue at all. */
export function readClue(text: string, ctx: Pick<DialogContext, 'directory' | 'detectUrgency'>): { effect: ReportClue } | { replies: Reply[] } | undefined {
  const normalised = normalizeUtterance(text);
  const m = CLUE.exec(normalised);
  if (!m) return undefined;
  const what = normalised.slice(m[0].length).trim();
  const place = matchPlace(what, ctx.directory);
  if (!place.township || what.length < 4) return { replies: [{ text: CLUE_HOW_TO }] };
  return {
    effect: {
      type: 'report_clue',
      townshipCode: place.township.code,
      ...(place.village ? { villageCode: place.village.code } : {}),
      ...(place.address ? { address: place.address } : {}),
      what,
      urgent: ctx.detectUrgency(what).urgent,
    },
  };
}

/** The receipt once the clue is recorded and routed. */
export function clueReceipt(done: Extract<AsideResult, { event: 'clue_reported' }>, ctx: Pick<DialogContext, 'directory'>): Reply {
  const township = ctx.directory.townships.find((x) => x.code === done.townshipCode)?.name ?? '';
  return { text: `线索已登记，编号 ${done.trackingNumber}，已转${township}入户核查。${done.urgent ? '已按紧急情况通知值班人员。' : ''}` };
}
