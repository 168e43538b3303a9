import words from './acts.words.json' with { type: 'json' };

/**
 * What a turn does, apart from the answers it carries: asks for a person, says it did not
 * understand, does not know the answer, or asks a question of its own. The flows read these
 * acts instead of raw text; answers (names, numbers, places) come from the slot extractors.
 */
export type QuestionTopic = keyof typeof words.questionTopics | 'other';
export type Acts = {
  askPerson: boolean;
  /** Says that people are safe and fed tonight ("吃住都还行"), the answer to the safety question. */
  safeNow: boolean;
  notUnderstood: boolean;
  dontKnow: boolean;
  question?: QuestionTopic;
};

const alt = (xs: readonly string[]) => xs.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** "找个真人", "我要跟人说话", "找个人跟俺说", "转人工"; a bare 人 counts only with something to do ("跟人说话"). */
const ASK_PERSON = new RegExp(
  `(?:${alt(words.personVerbs)})(?:个|一个|位|一位)?(?:(?:${alt(words.personNouns)})|人(?=(?:(?:跟|和|同|给)(?:我|俺|咱)?)?(?:${alt(words.personActions)})))|转人工|^人工$|^(?:我|俺)?(?:找|要)个?人(?:吧|啊|呀)?$`,
);
const NEGATED_BEFORE = /(?:不|不用|不要|别|甭|没)$/;
const NOT_UNDERSTOOD = new RegExp(alt(words.notUnderstood));
const DONT_KNOW = new RegExp(alt(words.dontKnow));
const SAFE_NOW = new RegExp(alt(words.safeNow));
const QUESTION_WORD = new RegExp(`${alt(words.questionWords)}`);
const TOPICS = Object.entries(words.questionTopics).map(([topic, list]) => [topic as QuestionTopic, new RegExp(alt(list))] as const);

/** "找活人家嫌我老": 人 with 家 after it is 人家 ("they"), not a person asked for. */
const PRONOUN_AFTER = /^家/;

function askedForPerson(text: string): boolean {
  const m = ASK_PERSON.exec(text);
  if (!m) return false;
  if (m[0].endsWith('人') && PRONOUN_AFTER.test(text.slice(m.index + m[0].length))) return false;
  return !NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 2), m.index));
}

/** "他说话听不明白", "他本人不会用手机": someone else's speech or skill, not the resident lost with the bot. */
const SOMEONE_ELSES = /(?:他|她|人家|本人|老人|老头|老太|孩子|说话|口音).{0,4}$/;

function saysNotUnderstood(text: string): boolean {
  const m = NOT_UNDERSTOOD.exec(text);
  if (!m) return false;
  const clause = text.slice(0, m.index).split(/[，,。；;！!？?\s]/).pop() ?? '';
  return !SOMEONE_ELSES.test(clause) || /你|您|机器/.test(clause);
}

/** "他不知道这里", "人家都不晓得": someone else not knowing, said as part of an answer, is no "don't know" of the resident's. */
const THIRD_PERSON_BEFORE = /(?:他|她|他们|她们|人家|对方)(?:也|都|还|根本|就)?$/;

function saysDontKnow(text: string): boolean {
  const m = DONT_KNOW.exec(text);
  if (!m) return false;
  return !THIRD_PERSON_BEFORE.test(text.slice(0, m.index));
}

/** "没啥", "没什么收入": the question words of a statement. */
const NOT_ASKING = new RegExp(alt(words.notQuestions), 'g');

/**
 * A question of the resident's own: a question mark, or a last clause that asks (ends in 吗/呢,
 * or a question word near its end), once the question words of plain statements are set aside.
 */
function questionOf(text: string): QuestionTopic | undefined {
  const plain = text.replace(NOT_ASKING, '');
  const last = plain.split(/[，,。；;\s]/).filter((c) => c.trim()).pop()?.trim() ?? '';
  const asks =
    /[？?]\s*$/.test(text) ||
    (last.length <= 20 && QUESTION_WORD.test(last) && /(?:吗|么|嘛|呢)$|^(?:啥|什么|怎么|咋|多久|几|哪)|(?:啥|什么|多久|几天|多少|咋办|怎么办)[^，。]{0,3}$/.test(last));
  if (!asks) return undefined;
  return TOPICS.find(([, re]) => re.test(text))?.[0] ?? 'other';
}

/**
 * "危险不危险", "要紧不要紧", "有没有事": the resident asking it back (A-not-A), which says neither the yes nor the no
 * inside it.
 */
const ASKED_BACK = /([\u4e00-\u9fff]{1,2})[不没]\1/gu;

/** The text without the questions it puts back ("恁说危险不危险"), for reading what it states. */
export function withoutAskedBack(text: string): string {
  return text.replace(ASKED_BACK, '，');
}

/**
 * "啥？", "恁说啥？", "啥关系？", "没听清": the question was not heard or not caught, and wants saying again, not an
 * answer as a question of the resident's own would.
 */
const PARDON = /^(?:啥|什么)+$|(?:你|您|恁)(?:说|讲)(?:的)?(?:啥|什么)|没听清|听不清|听不见|大点声|说慢点|慢点说|再说一遍/;
/**
 * Asked: "啊？" (a bare "啊" or "嗯" is a hesitation), or "啥关系？", a word of the question echoed back; not "啥也没有"
 * nor "什么材料？" (a question of its own).
 */
const ECHOED = /^(?:啊|嗯|哈|(?:啥|什么)[\u4e00-\u9fff]{1,3})$/;

export function asksToRepeat(text: string): boolean {
  const clauses = text.split(/[，,。；;！!？?\s]+/).filter(Boolean);
  const asked = /[？?]/.test(text) && (questionOf(text) ?? 'other') === 'other';
  return clauses.length > 0 && clauses.join('').length <= 8 && clauses.every((c) => PARDON.test(c) || (asked && ECHOED.test(c)));
}

export function readActs(text: string): Acts {
  const acts: Acts = {
    askPerson: askedForPerson(text),
    // "没有地方住" is not "有地方住": the 有 of 没有 (木有) has nothing.
    safeNow: SAFE_NOW.test(withoutAskedBack(text).replace(/[没木]有/g, '没')),
    notUnderstood: saysNotUnderstood(text),
    dontKnow: saysDontKnow(text),
  };
  const question = questionOf(text);
  if (question) acts.question = question;
  return acts;
}
