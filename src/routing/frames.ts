import type { Analysis } from './analyse.js';
import { polarityAt, type Polarity } from './context.js';
import { frameWords, type CueRule, type FrameWords, type Modality, type Purpose, type Trait, type Who } from './frame-words.js';
import { isIdeograph } from './han.js';
import { maskDigitRuns } from '../privacy/personal-numbers.js';
import { SIGNAL_KINDS, type SignalKind } from './signals.js';
import { wordSpans } from './words.js';

/**
 * Situation frames: what each clause says happens, to whom, when, and how it is said.
 * A clause is a stretch of text between punctuation (or a turn such as 但是); a sentence
 * ends at 。！？ or a new line. For each clause:
 * - who: a child, an elderly or a disabled person, the caller, someone else (carried over
 *   from an earlier clause when the clause names nobody), and what else the clause tells about
 *   that person (traits: young, a woman, from elsewhere), which says whose need it is, not how urgent;
 * - states: fire, gas, collapse, trapped, flood, violence, injury, acute illness, self-harm,
 *   alone without care, missing, cold, no shelter, no food, untreated illness;
 * - time: now, recent, past, resolved;
 * - modality: negated (per word), hypothetical, reported (TV, news, online), worry, a policy
 *   question, retracted ("是气话"), hedged ("好像"), a request ("想找个活", which says what the
 *   main need is; it does not touch urgency).
 * A state is urgent when it holds now: not negated, hypothetical, reported, past or resolved.
 * Some readings are doubtful rather than false (a suicidal remark called 气话, a danger word
 * inside a policy question): those go to the ask band, never silently away.
 */

/** 打 followed closely by what is dialled: a call, not a blow. */
const CALLED = /^打[^，。,；;！!？?\s]{0,4}?(?:电话|手机|座机|号码|这个号)/u;

/** `progressive`: the word right before puts it in progress now (在打孩子). */
export type Mention = { kind: SignalKind; word: string; start: number; polarity: Polarity; progressive: boolean; cue?: CueRule };

export type Frame = {
  text: string;
  start: number;
  end: number;
  sentence: number;
  who?: { who: Who; word: string; carried: boolean };
  /** Every kind of person the clause names (the caller among others). */
  persons: Who[];
  /** What the clause tells about its person beside who they are (carried over with the person). */
  traits: Trait[];
  states: Mention[];
  /** `perfect`: no time said, told in the perfect (…了). */
  time: { now: boolean; recent: boolean; earlier: boolean; past: boolean; resolved: boolean; duration: boolean; perfect: boolean };
  modality: Set<Modality>;
  /** What the clause is for when it is not a need (thanks, a word about the line, an offer to give). */
  purposes: Purpose[];
};

export type Reading = 'holds' | 'doubtful' | 'dropped';

/** Why a mention does not simply hold; shown to staff in plain words. */
export type Why = 'negated' | 'past' | 'resolved' | 'hypothetical' | 'reported' | 'retracted' | 'policy' | 'worry' | 'unmet' | 'nonhuman';

export const WHY_LABEL: Record<Why, string> = {
  negated: '说的是没有',
  past: '说的是以前的事',
  resolved: '说已经过去或解决了',
  hypothetical: '说的是假设',
  reported: '说的是电视、新闻或网上的事',
  retracted: '本人说是气话或误会',
  policy: '是在咨询政策',
  worry: '是担心会发生',
  unmet: '线索不全',
  nonhuman: '说的是牲畜、庄稼或棚圈',
};

export type Finding = { kind: SignalKind; reading: Reading; why?: Why; hedged: boolean; frame: Frame; mention: Mention };

/** `groups`: the word groups (cueGroups) said in the text, not denied. */
export type FrameReading = { frames: Frame[]; findings: Finding[]; groups: ReadonlySet<string> };

const VULNERABLE: ReadonlySet<Who> = new Set(['child', 'elder', 'disabled']);
/** A clause is about its most telling person; an animal, a crop or a shed named there outranks its owner (俺家大棚塌了). */
const WHO_RANK: Record<Who, number> = { child: 4, elder: 4, disabled: 4, nonhuman: 3, other: 2, self: 1 };
/** Kinds that are a person's inner state rather than an event: never simply dropped as past or resolved. */
const NEVER_DROPPED_AS_OVER: ReadonlySet<SignalKind> = new Set(['self_harm']);

export const SENTENCE_END = /[。！？!?\n；;]/u;
const CLAUSE_END = /^[\s\p{P}\p{S}]+$/u;
const TURNS = new Set(['但是', '可是', '不过', '但', '可']);
const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十三 → 13, 二十 → 20, 13 → 13; the first of "五六" → 5. */
function smallNumber(s: string): number | undefined {
  if (/^[0-9]+$/.test(s)) return Number(s);
  const ten = s.indexOf('十');
  if (ten < 0) return CN_DIGIT[s[0] as string];
  const tens = ten === 0 ? 1 : (CN_DIGIT[s[ten - 1] as string] ?? 1);
  const ones = CN_DIGIT[s[ten + 1] as string] ?? 0;
  return tens * 10 + ones;
}

const AGE = /([零〇一二两三四五六七八九十0-9]{1,3})(?:岁|周岁)|(?:今年|才|刚)([零〇一二两三四五六七八九十0-9]{1,3})(?![0-9零〇一二两三四五六七八九十]|[块元斤亩天年月号点个])/gu;

/** The caller giving their own age with no 岁 (我十六, 俺今年十七了): read for youth only. */
const OWN_AGE = /(?:我|俺)(?:今年|都)?([一二三四五六七八九十两]{2,3}|[0-9]{2})(?![0-9零〇一二两三四五六七八九十百千万]|[块元斤亩天年月号点个])/gu;

/** The ages a clause states: the first under `below` (a child, with the words that said it), and whether one is young (youth). */
const NUMERAL = /[0-9零〇一二两三四五六七八九十]/u;
const NO_AGE: { young: boolean } = { young: false };

function statedAges(clause: string, below: number, youth: { from: number; to: number }): { child?: string; young: boolean } {
  // Most clauses hold no number at all.
  if (!NUMERAL.test(clause)) return NO_AGE;
  let child: string | undefined;
  let young = false;
  for (const m of clause.matchAll(AGE)) {
    const n = smallNumber((m[1] ?? m[2]) as string);
    if (n === undefined) continue;
    if (n < below && child === undefined) child = m[0];
    if (n >= youth.from && n <= youth.to) young = true;
  }
  if (!young) {
    for (const m of clause.matchAll(OWN_AGE)) {
      const n = smallNumber(m[1] as string);
      if (n !== undefined && n >= youth.from && n <= youth.to) young = true;
    }
  }
  return { ...(child !== undefined ? { child } : {}), young };
}

const addOnce = <T>(list: T[], item: T): void => {
  if (!list.includes(item)) list.push(item);
};

type Span = { start: number; end: number; sentence: number };

/** Clauses from the segmentation: punctuation and whitespace end one, a turn word (但是) starts one. */
function clauses(analysis: Analysis): Span[] {
  const out: Span[] = [];
  let sentence = 0;
  let start = -1;
  let end = 0;
  for (const t of analysis.tokens) {
    // A word starting with an ideograph (most words) is no punctuation: no need to test it.
    const ends = !isIdeograph(t.word.charCodeAt(0)) && CLAUSE_END.test(t.word);
    if (ends || TURNS.has(t.word)) {
      if (start >= 0) out.push({ start, end, sentence });
      start = -1;
    }
    if (ends) {
      if (SENTENCE_END.test(t.word)) sentence++;
      continue;
    }
    if (start < 0) start = t.start;
    end = t.end;
  }
  if (start >= 0) out.push({ start, end, sentence });
  return out;
}

export function readFrames(analysis: Analysis, words: FrameWords = frameWords()): FrameReading {
  const { text, tokens } = analysis;
  const spans = clauses(analysis);
  const fits = wordSpans(text, tokens, words.has);
  const personHits = words.person.match(text, fits);
  const hits = personHits.length === 0 ? words.match(text, fits) : [...words.match(text, fits), ...personHits].sort((a, b) => a.start - b.start);
  const below = words.file.childAge.below;
  const youth = words.file.youthAge;

  const frames: Frame[] = spans.map((s) => ({
    text: text.slice(s.start, s.end),
    start: s.start,
    end: s.end,
    sentence: s.sentence,
    persons: [],
    traits: [],
    states: [],
    time: { now: false, recent: false, earlier: false, past: false, resolved: false, duration: false, perfect: false },
    modality: new Set<Modality>(),
    purposes: [],
  }));
  const groups = new Set<string>();
  const worryAt: number[] = [];
  const hedgeAt: number[] = [];
  let policy = false;

  // The word ending where a word starts, and the word starting where one ends: asked only of state words, so built when first asked.
  let endingAt: Map<number, string> | undefined;
  let startingAt: Map<number, string> | undefined;
  let f = 0;
  for (const hit of hits) {
    while (f < frames.length && (frames[f] as Frame).end <= hit.start) f++;
    const frame = frames[f];
    const polarity = polarityAt(text, hit.start);
    for (const role of hit.value) {
      if (role.type === 'group') {
        if (polarity !== 'negated') groups.add(role.name);
        continue;
      }
      if (!frame || hit.start < frame.start) continue;
      if (role.type === 'state') {
        // "打俺儿的电话", "打我手机": 打 of a call is no blow.
        if (role.kind === 'violence' && hit.word.startsWith('打') && CALLED.test(text.slice(hit.start, hit.start + hit.word.length + 6))) continue;
        const progressive = words.progressive.has((endingAt ??= new Map(tokens.map((t) => [t.end, t.word]))).get(hit.start) ?? '');
        frame.states.push({ kind: role.kind, word: hit.word, start: hit.start, polarity, progressive, ...(role.cue ? { cue: role.cue } : {}) });
      } else if (role.type === 'who') {
        addOnce(frame.persons, role.who);
        if (!frame.who || WHO_RANK[role.who] > WHO_RANK[frame.who.who]) frame.who = { who: role.who, word: hit.word, carried: false };
      } else if (role.type === 'trait') {
        if (polarity !== 'negated') addOnce(frame.traits, role.trait);
      } else if (role.type === 'time') {
        if (polarity !== 'negated') frame.time[role.time] = true;
      } else if (role.type === 'purpose') {
        if (polarity !== 'negated') addOnce(frame.purposes, role.purpose);
      } else {
        // "不是气话", "不想再给孩子添麻烦了": a take-back denied is none (the second is a farewell).
        if (role.modality === 'retracted' && polarity === 'negated') continue;
        if (role.modality === 'policy') policy = true;
        if (role.modality === 'worry') worryAt.push(hit.start);
        if (role.modality === 'hedged') hedgeAt.push(hit.start);
        frame.modality.add(role.modality);
      }
    }
  }

  // A stated age under the limit makes a child; a number of days or hours, something that lasts;
  // an experiential 过 right after the state word (着过火, 睡过), the past.
  for (const frame of frames) {
    const { child, young } = statedAges(frame.text, below, youth);
    if (child && (!frame.who || !VULNERABLE.has(frame.who.who))) frame.who = { who: 'child', word: child, carried: false };
    if (young) addOnce(frame.traits, 'youth');
    if (words.duration.test(frame.text)) frame.time.duration = true;
    for (const m of frame.states) if ((startingAt ??= new Map(tokens.map((t) => [t.start, t.word]))).get(m.start + m.word.length) === '过') frame.time.past = true;
  }

  // Scopes across clauses of one sentence, from each clause's own markers (copied first, so a
  // scope never spreads from clause to clause).
  const own = frames.map((f) => ({
    reported: f.modality.has('reported'),
    hypothetical: f.modality.has('hypothetical'),
    retracted: f.modality.has('retracted'),
    past: f.time.past && !f.time.now,
    resolved: f.time.resolved,
  }));
  frames.forEach((frame, i) => {
    const mine = own[i] as (typeof own)[number];
    if (mine.reported) for (let j = i + 1; inSentence(frames, frame, j); j++) (frames[j] as Frame).modality.add('reported');
    if (mine.hypothetical) inSentence(frames, frame, i + 1)?.modality.add('hypothetical');
    if (mine.retracted) {
      for (let j = i - 1; inSentence(frames, frame, j); j--) (frames[j] as Frame).modality.add('retracted');
      for (let j = i + 1; inSentence(frames, frame, j); j++) (frames[j] as Frame).modality.add('retracted');
    }
    if (mine.resolved) for (let j = i - 1; inSentence(frames, frame, j); j--) (frames[j] as Frame).time.resolved = true;
    if (mine.past) for (let j = i + 1; inSentence(frames, frame, j) && !hasTime(frames[j] as Frame); j++) (frames[j] as Frame).time.past = true;
  });
  // A clause told in the perfect with no time of its own (屋里进水了, 把屋顶掀了) may well report a
  // change that holds as the resident speaks, or one long past: a cue there that needs "now" is
  // asked about rather than dropped.
  for (const frame of frames) if (!hasTime(frame) && PERFECT.test(frame.text)) frame.time.perfect = true;
  // A person carries over to clauses that name nobody, with what was told about them; an animal
  // or a crop does not (猪被水冲走了，今晚不知道睡哪).
  let lastWho: Frame['who'];
  let lastTraits: readonly Trait[] = [];
  for (const frame of frames) {
    if (frame.who && frame.who.who !== 'nonhuman') {
      lastWho = frame.who;
      lastTraits = frame.traits;
    } else if (!frame.who && lastWho) {
      frame.who = { ...lastWho, carried: true };
      for (const t of lastTraits) addOnce(frame.traits, t);
    }
  }
  // What the caller tells about themselves holds wherever they speak of themselves (我是高三的……我不想下去了).
  const selfTraits: Trait[] = [];
  for (const frame of frames) if (frame.who?.who === 'self' || frame.persons.includes('self')) for (const t of frame.traits) addOnce(selfTraits, t);
  if (selfTraits.length > 0) for (const frame of frames) if (frame.who?.who === 'self') for (const t of selfTraits) addOnce(frame.traits, t);

  const vulnerableIn = new Set<number>();
  for (const frame of frames) if (frame.who && VULNERABLE.has(frame.who.who)) vulnerableIn.add(frame.sentence);

  const findings: Finding[] = [];
  frames.forEach((frame, i) => {
    const ownNow = isNow(frame);
    // "Now" for a cue: said in its clause or the clause next to it, in the same sentence.
    const nowNear = ownNow || isNow(inSentence(frames, frame, i - 1)) || isNow(inSentence(frames, frame, i + 1));
    for (const mention of frame.states) {
      const over = NEVER_DROPPED_AS_OVER.has(mention.kind) ? 'doubtful' : 'dropped';
      const needsMet = (need: string): boolean =>
        need === 'now' ? nowNear || mention.progressive : need === 'vulnerable' ? vulnerableIn.has(frame.sentence) || (frame.who !== undefined && VULNERABLE.has(frame.who.who)) : groups.has(need.slice(4));
      const unmet = mention.cue !== undefined && !mention.cue.needs.every(needsMet);
      // A cue lacking only "now": asked about, not dropped, when told in the perfect (屋里进水了) or when its rule says
      // so ("躺雪地里不动": someone lying still is asked about whenever it was said to be).
      const onlyNowUnmet = unmet && (mention.cue as CueRule).needs.every((n) => n === 'now' || needsMet(n));
      const askable = mention.cue?.unmet === 'doubtful' || (onlyNowUnmet && (frame.time.perfect || mention.cue?.unmet === 'doubtful_without_now'));
      // Asked about ("是不是着火了") or hedged ("好像"): still a flag, marked 疑似, unless something else makes it doubtful.
      const hedged = mention.polarity === 'asked' || hedgeAt.some((at) => at >= frame.start && at < mention.start);
      const read = (reading: Reading, why?: Why): void => {
        findings.push({ kind: mention.kind, reading, ...(why ? { why } : {}), hedged, frame, mention });
      };
      if (mention.polarity === 'negated') read('dropped', 'negated');
      else if (frame.who?.who === 'nonhuman') read('dropped', 'nonhuman');
      else if (frame.modality.has('reported')) read('dropped', 'reported');
      else if (frame.modality.has('hypothetical') && !ownNow) read('dropped', 'hypothetical');
      else if (frame.time.resolved) read(over, 'resolved');
      else if (frame.time.past && !frame.time.now) read(over, 'past');
      else if (unmet && !askable) read('dropped', 'unmet');
      else if (frame.modality.has('retracted')) read('doubtful', 'retracted');
      else if (worryAt.some((at) => at >= frame.start && at < mention.start)) read('doubtful', 'worry');
      // A message about paperwork, money or rights tells of its troubles as background: only a
      // plain state word said to be happening now holds there.
      else if (policy && (mention.cue !== undefined || !(ownNow || mention.progressive))) read('doubtful', 'policy');
      else if (unmet) read('doubtful', 'unmet');
      else read('holds');
    }
  });
  return { frames, findings, groups };
}

/** A clause ending in the perfect 了 (with a closing particle at most). */
const PERFECT = /了[啊呀吧呢啦嘛哇]?\s*$/u;

const hasTime = (f: Frame): boolean => f.time.now || f.time.recent || f.time.earlier || f.time.past || f.time.resolved;
const isNow = (f: Frame | undefined): boolean => f !== undefined && (f.time.now || f.time.recent || f.time.duration);
/** `frames[j]` when it is in the same sentence as `frame`. */
const inSentence = (frames: readonly Frame[], frame: Frame, j: number): Frame | undefined => (frames[j]?.sentence === frame.sentence ? frames[j] : undefined);

const MAX_SNIPPET = 40;

/**
 * The clauses as the resident said them: from the best finding's clause through the next
 * clauses of the same sentence that read the same (摔倒，至今起不来), with the clause before
 * when the first is too short to stand alone.
 */
function snippet(finding: Finding, same: readonly Finding[], frames: readonly Frame[]): string {
  const first = frames.indexOf(finding.frame);
  let last = first;
  const sameFrames = new Set(same.map((f) => f.frame));
  while (frames[last + 1]?.sentence === finding.frame.sentence && sameFrames.has(frames[last + 1] as Frame)) last++;
  const before = frames[first - 1];
  const from = finding.frame.text.trim().length < 8 && before?.sentence === finding.frame.sentence ? first - 1 : first;
  let text = frames
    .slice(from, last + 1)
    .map((f) => f.text.trim())
    .join('，');
  const who = finding.frame.who;
  if (who?.carried && VULNERABLE.has(who.who) && !text.includes(who.word)) text = `${who.word}：${text}`;
  text = maskDigitRuns(text.replace(/\s+/gu, ' '));
  return text.length > MAX_SNIPPET ? `${text.slice(0, MAX_SNIPPET)}…` : text;
}

type TimeLabel = '现在' | '持续中' | '刚发生' | '不久前' | '没说时间';
const TIME_ORDER: readonly TimeLabel[] = ['现在', '持续中', '刚发生', '不久前', '没说时间'];

function timeOf({ frame, mention }: Finding, frames: readonly Frame[]): TimeLabel {
  if (frame.time.now || mention.progressive) return '现在';
  if (frame.time.duration) return '持续中';
  if (frame.time.recent) return '刚发生';
  if (frame.time.earlier) return '不久前';
  return frames.some((f) => f.sentence === frame.sentence && f.time.now) ? '现在' : '没说时间';
}

const READING_RANK: Record<Reading, number> = { holds: 2, doubtful: 1, dropped: 0 };
/** How telling a finding is: plain before hedged, said to be now before not, a state word before a cue. */
const tellingness = (f: Finding): number => (f.hedged ? 0 : 10) + (f.frame.time.now || f.mention.progressive ? 2 : 0) + (f.mention.cue ? 0 : 1);

/**
 * The findings of one reading, grouped by kind in the order of SIGNAL_KINDS, the most telling
 * first (a plain mention before a hedged one, a mention said to be now before others). A kind
 * is in the `reading` group only when that is its best reading.
 */
export function findingsByKind(findings: readonly Finding[], reading: Reading): Finding[][] {
  const out: Finding[][] = [];
  if (findings.length === 0) return out;
  for (const kind of SIGNAL_KINDS) {
    const mine = findings.filter((f) => f.kind === kind);
    if (mine.length === 0) continue;
    const best = Math.max(...mine.map((f) => READING_RANK[f.reading]));
    if (best !== READING_RANK[reading]) continue;
    const group = mine.filter((f) => f.reading === reading);
    out.push([...group].sort((a, b) => tellingness(b) - tellingness(a) || a.mention.start - b.mention.start));
  }
  return out;
}

/** "有人受伤或摔倒起不来：独居老人早上摔倒，至今起不来（现在），提醒拨打120" — what was said, in the resident's words, and when. */
export function describeFindings(group: readonly Finding[], frames: readonly Frame[], label: string, advice?: string): string {
  const best = group[0] as Finding;
  // The earliest clause of the same sentence starts the quote; the best reading says how sure.
  const first = group.filter((f) => f.frame.sentence === best.frame.sentence).sort((a, b) => a.frame.start - b.frame.start)[0] as Finding;
  const said = snippet(first, group, frames);
  if (best.reading === 'holds') {
    const time = group.map((f) => timeOf(f, frames)).sort((a, b) => TIME_ORDER.indexOf(a) - TIME_ORDER.indexOf(b))[0] as TimeLabel;
    return `${best.hedged ? '疑似' : ''}${label}：${said}（${time}）${advice ? `，${advice}` : ''}`;
  }
  return `拿不准是否${label}：${said}（${WHY_LABEL[best.why ?? 'unmet']}）`;
}
