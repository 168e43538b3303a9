import type { CountyDirectory } from '../directory/schema.js';
import { matchPlace, normalizeText } from '../dialogs/understand/index.js';
import type { DialogContext } from '../dialogs/context.js';

/** A village assistant's report in the WeCom app: a message that starts with 线索 (or 发现). */
const CLUE = /^\s*(线索|发现|主动发现)\s*[:：,，\s]\s*/;

export type ClueMessage =
  | { kind: 'clue'; townshipCode: string; villageCode?: string; address?: string; what: string; urgent: boolean }
  | { kind: 'needs_place' };

/** Reads a clue message; undefined when the message is not a clue at all. */
export function readClueMessage(text: string, directory: CountyDirectory, detectUrgency: DialogContext['detectUrgency']): ClueMessage | undefined {
  const normalised = normalizeText(text);
  const m = CLUE.exec(normalised);
  if (!m) return undefined;
  const what = normalised.slice(m[0].length).trim();
  const place = matchPlace(what, directory);
  if (!place.township || what.length < 4) return { kind: 'needs_place' };
  return {
    kind: 'clue',
    townshipCode: place.township.code,
    ...(place.village ? { villageCode: place.village.code } : {}),
    ...(place.address ? { address: place.address } : {}),
    what,
    urgent: detectUrgency(what).urgent,
  };
}

export const CLUE_HOW_TO = '请按这个格式发送线索：“线索：镇街+村居，看到的情况”，例如“线索：枣园镇东鲁村，有位独居老人家里断粮了”。';
