import type { Reply } from '../domain/messages.js';
import { freeText } from './answers.js';
import { say, type Said, type Turn } from './flow-turn.js';
import { modelYesNo } from './model-acts.js';
import { withoutAskedBack } from './understand/acts.js';
import { hanLength } from './understand/han.js';
import { KINSHIP } from './understand/kinship.js';

/**
 * Danger is answered at the first message that shows it, in whatever flow: tell the
 * caller who to ring now and flag a duty officer. Each line is said once per
 * conversation so a frightened caller is not told the same thing every turn.
 */

const LIFE_DANGER = '如有人受伤、被困或有生命危险，请立即拨打119（火警）、120（急救）或110（报警）。';
const MENTAL_HEALTH = '如果您心里很难受，可以拨打全国心理援助热线12356，有专人陪您说说话。';
const FLAGGED = '我们已通知值班人员优先处理。';

export interface Alarm {
  reason: string;
  lifeDanger: boolean;
  mentalHealth: boolean;
}

export function raiseAlarm(t: Turn, alarm: Alarm): void {
  const safety = t.s.safety;
  const tellLife = alarm.lifeDanger && !safety.lifeDangerTold;
  const tellMental = alarm.mentalHealth && !safety.mentalHealthTold;
  // A first sign of life danger is flagged again even if a milder signal was flagged before.
  const flag = !safety.flagged || tellLife;
  if (flag) {
    t.effects.push({ type: 'flag_duty', reason: alarm.reason, urgent: true, lifeDanger: alarm.lifeDanger, kind: 'urgent' });
  }
  const lines = [tellLife && LIFE_DANGER, tellMental && MENTAL_HEALTH, flag && FLAGGED].filter((l): l is string => !!l);
  if (lines.length > 0) say(t, lines.join(''));
  safety.flagged = true;
  safety.lifeDangerTold ||= alarm.lifeDanger;
  safety.mentalHealthTold ||= alarm.mentalHealth;
}

export function checkSafety(t: Turn, said: Said): void {
  const u = said.urgency;
  if (!u.urgent && !u.lifeDanger && !u.mentalHealth) return;
  raiseAlarm(t, { reason: u.reason ?? (u.signals.join('、') || '紧急信号'), lifeDanger: u.lifeDanger, mentalHealth: u.mentalHealth });
}

/** Asked once when a message leaves urgency unclear; the answer decides, and an unclear answer goes to a person. */
export const SAFETY_QUESTION: Reply = {
  text: '先问您一句：现在有没有人有危险（受伤、生病没人管、被打、想不开），或者今晚没吃的、没地方住？请回复"有"或"没有"。',
  speech: '先问您一句：现在有没有人有危险，或者今晚没吃的、没地方住？有请说有，没有请说没有。',
  expect: { kind: 'any', maxDigits: 1, keypadHint: '有请按1，没有请按2' },
};

const SOMEONE_ELSE = new RegExp(`(?:我|俺)(?:没事|还行|挺好)[^。？]{0,3}?(?:是|就是|可是|但是)(?:我|俺)?(?:的|家)?(?:${KINSHIP.source}|他|她|邻居|老人|孩子)`);

const HAS_PROVISIONS = /(?<![没木])有(?:吃|喝|住|饭|粮|穿|地方|钱|人管|人照|人看)|(?:吃的|喝的|住的|吃喝|吃住|粮食?|饭)(?:也|还|都)?(?:有|够)/;
/** What follows a "but" in an answer: "吃的有，就是…", "没啥事，可是…". */
const BUT_THEN = /(?:就是|但是|可是|不过|只是|但)(.+)$/;
/** Someone in a bad way: illness, pain, a fall, bleeding, not coming round. */
const HURTING = /烧得|发烧|高烧|疼|痛|流血|出血|晕|摔|起不来|不行了|喘不|吐了|昏|叫不醒|危险|挨打|打人/;
/**
 * Told without a "but", only a state past bearing says danger: a fever or pain at its worst ("烧得厉害", "疼得打滚",
 * "一头汗"), bleeding, not getting up, not coming round. A plain ache or a dizzy spell may be an aside.
 */
const ACUTE = /烧得|高烧|(?:疼|痛)(?:得|死|的厉害)|一头汗|冷汗|流血|出血|起不来|不行了|喘不上|吐血|光吐|一直吐|昏过去|昏迷|叫不醒|挨打/;
/** Hungry now, or nothing to eat ("孩子饿得直哭", "一粒米也木有了"); "饿不着" says the opposite. */
const HUNGRY = /(?<![不没])饿(?!不着|不了)|吃不上|[没木](?:有)?(?:吃的|饭|米|粮)|断顿|揭不开锅/;
/** Nobody with them ("没人看着", "身边一个人都没有"): no one to help tonight. */
const ALONE = /[没木](?:有)?人(?:管|照|看|在)|一个人(?:都|也)[没木]有?/;
/** "没啥危险", "没有别的危险": danger denied, which the words looked for below must not read as told. */
const NO_DANGER = /(?:没|不|无)(?:有)?(?:啥|什么|别的|其他|大)?(?:危险|事)/g;
/** No heat, no fuel, no bedding, no roof, or cold said outright ("不冷" is not). */
const LACKING = /没(?:有)?(?:火|暖气|取暖|炉子|煤|柴|被子|地方住|处住)|(?<!不)(?:冷|冻)/;
/** "腿疼的老毛病": an old complaint, not tonight's danger. */
const LONG_STANDING = /老毛病|老病|常年|多年|好些年|好几年|一直这样/;
const STILL_SO = /还(?:是)?(?:没|没有|不)(?:找到|找着|回来|回家|醒|起来|动|接)|还(?:在)?(?:疼|流血|打|闹|烧|冒烟|发烧|昏)/;

/**
 * The answer to "is anyone in danger / without food or a roof tonight?": true (yes), false (no),
 * undefined (unclear). "没问题" and "还行" say no here, though they are a yes to other questions.
 */
export function dangerSaid(said: Pick<Said, 'text' | 'acts'>): boolean | undefined {
  // "恁说危险不危险": a question put back says neither; what the answer states is read without it.
  const text = withoutAskedBack(said.text);
  // What is told, without danger denied beside it ("就是不学好，没危险").
  const told = text.replace(NO_DANGER, '，');
  // "俺没事，是俺娘": the speaker is safe, the danger is someone else's.
  if (SOMEONE_ELSE.test(text)) return true;
  // "吃的有 就是老头烧得厉害", "就是孩子饿": fed or minded, but what comes after the "but" is someone in a bad way
  // or without food tonight.
  const but = BUT_THEN.exec(told)?.[1];
  if (but && (HURTING.test(but) || HUNGRY.test(but)) && !LONG_STANDING.test(but)) return true;
  if (said.acts.dontKnow) return undefined;
  // "俺男人疼得厉害，一头汗": someone in a bad way now is a yes in whatever words, unless it is an old complaint.
  if (ACUTE.test(told) && !LONG_STANDING.test(told) && !said.acts.safeNow) return true;
  // A no at the start, but not the 没 of what is lacking ("没有地方住", "没人管").
  const no = /^(?:那|嗯|哎)?(?:都|现在|暂时|目前|眼下)?(?:没有|木有|没|无|不是|不)(?!有?(?:吃|地方|处|人管|人照|人看|钱))/;
  if (said.acts.safeNow || no.test(text) || /没(?:有)?(?:啥|什么|别的|其他)?(?:危险|人有危险|事)|饿不着/.test(text) || text === '2') return false;
  // "有吃有住", "吃的还有": 有 of food and a roof is the answer to "tonight without food or a bed?", and it is no,
  // unless the same answer tells of no heat or a roof lacking ("屋里没火，吃的还有点").
  if (HAS_PROVISIONS.test(text) && !/危险|受伤|不行了|想不开|打/.test(told) && !HUNGRY.test(told)) return LACKING.test(text);
  // The 有 of a yes, not of 没有 (木有 in dialect): "没有人管" says it by what is lacking.
  if (/(?<![没木])有|[没木](?:有)?(?:吃|饭|地方|处)|危险|不行了|冻|快不行/.test(told) || HUNGRY.test(told) || ALONE.test(told) || /^(?:是|对|1)$/.test(text)) return true;
  // What was feared is still so ("人还没找到", "还疼着哩"): the danger goes on.
  if (STILL_SO.test(text)) return true;
  return undefined;
}

/** Asked of every application before its read-back, when no sign of danger asked it earlier. */
export const FINAL_SAFETY_QUESTION: Reply = {
  text: '最后问一句：眼下家里有没有人有危险（受伤、急病没人管、被打、想不开），或者今晚没吃的、没地方住？没有就回复"没有"。',
  speech: '最后问一句：眼下家里有没有人有危险，或者今晚没吃的、没地方住？有请说有，没有请说没有。',
  expect: SAFETY_QUESTION.expect,
};

const tellsMore = (text: string) => hanLength(text) >= 8;

/** Asked when the first answer was unclear: the same question in plain words, with examples. */
const SAFETY_AGAIN = '没听明白，再问一句：现在有没有人受伤、生病没人管、被打或者想不开？今晚有没有吃的、有没有地方住？有危险就回复"有"，都没有就回复"没有"。';

/**
 * The answer to the safety question: a yes flags a duty officer, a plain no does not. An unclear
 * answer ("不清楚") is asked once more in plainer words (a question too many costs a turn; a
 * "don't know" from a relative who lives elsewhere is not a danger); unclear twice flags.
 * Returns false when the question is asked again and the step stays.
 */
export function answerSafety(t: Turn, said: Said): boolean {
  const s = t.s;
  // A model's yes may raise the alarm at once; its no never lowers it.
  // Flagged already: the answer itself told a danger this turn (it is only asked while nothing is flagged).
  const yes = dangerSaid(said) ?? (modelYesNo(said) === true || s.safety.flagged ? true : undefined);
  // The routine question before a read-back was prompted by nothing: only a yes (or a danger told) raises the alarm.
  // A short "不清楚" there is no; an account that says neither ("老伴今早说胸口疼，起不来") is asked once more.
  // A second account that is still neither ("老人啥情况不知道，得赶紧有人来开门看看") is no "no": it flags.
  const routine = !s.safety.pending && !tellsMore(said.text);
  if (yes === undefined && routine) {
    s.safety.asked = true;
    say(t, '好的。');
    return true;
  }
  if (yes === undefined && !s.safety.askedAgain) {
    s.safety.askedAgain = true;
    say(t, SAFETY_AGAIN, { speech: SAFETY_AGAIN.replace(/回复/g, '说'), expect: SAFETY_QUESTION.expect });
    return false;
  }
  s.safety.pending = false;
  s.safety.asked = true;
  if (yes === false) {
    say(t, '好的。');
    return true;
  }
  raiseAlarm(t, {
    reason: yes ? `居民在安全问题中说现在有危险或今晚缺吃住：${freeText(said.text)}` : `安全问题问了两次都没有得到明确回答，请值班人员回电确认：${freeText(said.text)}`,
    lifeDanger: false,
    mentalHealth: false,
  });
  return true;
}
