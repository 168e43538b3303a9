/**
 * The urgent situations of the domain reference, as the duty officer reads them. The words
 * residents use for each are data (data/routing/frames.json), read into situation frames
 * by frames.ts; this module holds only the kinds, their labels and the advice.
 */

/** Listed most pressing first; reasons follow this order. */
export const SIGNAL_KINDS = [
  'fire', 'gas', 'collapse', 'trapped', 'flood', 'violence', 'injury', 'acute_illness', 'self_harm',
  'alone', 'missing', 'cold', 'no_shelter', 'no_food', 'untreated_illness',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** Readable Mandarin naming the signal, for the duty officer. */
export const SIGNAL_LABEL: Record<SignalKind, string> = {
  fire: '火情',
  gas: '燃气泄漏或中毒',
  collapse: '房屋倒塌或有倒塌危险',
  trapped: '有人被困或落水',
  flood: '被水淹或洪水',
  violence: '正在发生暴力',
  injury: '有人受伤或摔倒起不来',
  acute_illness: '急症',
  self_harm: '有轻生或自伤的话',
  alone: '儿童、老人或残疾人无人照料',
  missing: '有人走失或失联',
  cold: '受冻',
  no_shelter: '今晚无处栖身',
  no_food: '吃不上饭',
  untreated_illness: '重病得不到治疗',
};

/** What to tell the caller (domain reference: "also tell the caller to ring 119/120/110"). */
export const SIGNAL_ADVICE: Partial<Record<SignalKind, string>> = {
  fire: '提醒拨打119',
  gas: '提醒拨打119/120',
  collapse: '提醒拨打119',
  trapped: '提醒拨打119/110',
  flood: '提醒拨打119',
  violence: '提醒拨打110',
  injury: '提醒拨打120',
  acute_illness: '提醒拨打120',
  self_harm: '可转12356心理援助热线',
  missing: '提醒拨打110',
};

/** Signals that put a life in immediate physical danger. Self-harm is reported separately as mentalHealth. */
export const LIFE_DANGER: ReadonlySet<SignalKind> = new Set(['violence', 'flood', 'fire', 'gas', 'collapse', 'trapped', 'injury', 'acute_illness']);
