import words from '../understand/acts.words.json' with { type: 'json' };
import { readActs, type Acts } from '../understand/acts.js';
import { normalizeUtterance } from '../understand/normalize.js';
import type { Conversation, ResidentTurn, Topic } from './conversation-file.js';

/**
 * `hotline eval dialog-words FILE...`: how each word list behind the turn acts (understand/acts.words.json) does on
 * the dialog corpus. Every resident message of the personas (openings, answers by topic, interjections) is read as
 * the dialog reads it (normalised); a word hits a message that contains it, as the acts' patterns match. Each hit is
 * judged against what the persona means:
 *
 * - person words: good in a conversation that expects a person (`expect.flow` "human"), bad elsewhere;
 * - notUnderstood: good in a conversation that expects a person, in an interjection, or in an answer the persona
 *   gives again in other words (not its last); bad in the answer it settles on, or an opening, of another;
 * - dontKnow: good in an answer to a topic whose expected field is null or absent, bad where it is given;
 * - questionWords, questionTopics: good in an interjection (a question back), bad in an ordinary answer;
 * - notQuestions: the other way round;
 * - safeNow: good in a safety or danger answer of a conversation not expected urgent, bad in one expected urgent.
 *
 * Other hits (an opening for the question words, a dontKnow in a reason) are counted apart and judge nothing.
 * Beside the bare hits, `act` counts the messages where the word is found and its act was read (`readActs`), so a
 * word that hits often but never misleads the act (叫 of "俺叫…" for the person verbs) is told apart from one that
 * does. A word is poor when its share is low where its act was read (or, read too seldom to judge, where it was found).
 */

export type ActWordLists = {
  personVerbs: readonly string[];
  personNouns: readonly string[];
  personActions: readonly string[];
  notUnderstood: readonly string[];
  dontKnow: readonly string[];
  questionWords: readonly string[];
  questionTopics: Readonly<Record<string, readonly string[]>>;
  notQuestions: readonly string[];
  safeNow: readonly string[];
};

/** One thing a persona sends, with what the persona means around it. */
export type ResidentMessage = {
  conversation: string;
  kind: 'opening' | 'answer' | 'interjection';
  /** The topic answered, or asked before an interjection. */
  topic?: Topic;
  /** An answer: the last one of its topic (the one the persona settles on, repeated if asked again). */
  last?: boolean;
  /** As the dialog reads it (normalised). */
  text: string;
  flow: Conversation['expect']['flow'];
  urgent: boolean;
  /** An answer to a topic with an expected field: true when that field is given, false when null or absent. */
  fieldGiven?: boolean;
};

export type Verdict = 'good' | 'bad' | 'other';

type Tally = { hits: number; good: number; bad: number; act: number; actGood: number; actBad: number };

export type WordScore = Tally & {
  word: string;
  /** good / (good + bad), undefined when no hit was judged. */
  share?: number;
  /** The same among the messages where the act was read. */
  actShare?: number;
  /** A bad message it hit, to look at. */
  example?: string;
};

export type DialogListScore = Tally & {
  name: string;
  /** What a good hit is, in a few words. */
  meaning: string;
  /** Messages with a word of the list (hits counts a message once per word). */
  messages: number;
  share?: number;
  actShare?: number;
  words: WordScore[];
  /** Words found in no message. */
  unused: string[];
  /** Words whose share is under `poorShare`: where the act was read, or where found when the act was read on under `minJudged` judged hits; worst first. */
  poor: WordScore[];
};

export type DialogWordReport = {
  conversations: number;
  messages: { opening: number; answer: number; interjection: number };
  lists: DialogListScore[];
};

/** Fields of `expect.fields` an answer to the topic gives; a topic not here gives none. */
const TOPIC_FIELDS: Partial<Record<Topic, ReadonlyArray<keyof Conversation['expect']['fields']>>> = {
  name: ['name'],
  id_number: ['idNumber'],
  household: ['householdSize'],
  place: ['township', 'village'],
  phone: ['phone'],
  relation: ['relation'],
  consent: ['consent'],
};

/** Words of a turn; keypad digits are the answer when present (the words around them are not read). */
function wordsOf(turn: ResidentTurn): string | undefined {
  if (typeof turn === 'string') return turn;
  return turn.digits ? undefined : turn.text;
}

/** Every message the personas send, in file order: openings, then answers by topic, then interjections. */
export function residentMessages(conversations: readonly Conversation[]): ResidentMessage[] {
  const out: ResidentMessage[] = [];
  for (const c of conversations) {
    const base = { conversation: c.id, flow: c.expect.flow, urgent: c.expect.urgent };
    const push = (turn: ResidentTurn, rest: Partial<ResidentMessage> & Pick<ResidentMessage, 'kind'>) => {
      const raw = wordsOf(turn);
      const text = raw === undefined ? '' : normalizeUtterance(raw);
      if (text) out.push({ ...base, ...rest, text });
    };
    for (const turn of c.opening) push(turn, { kind: 'opening' });
    for (const [topic, turns] of Object.entries(c.answers) as Array<[Topic, ResidentTurn[]]>) {
      const fields = TOPIC_FIELDS[topic];
      const fieldGiven = fields ? fields.every((f) => c.expect.fields[f] !== undefined && c.expect.fields[f] !== null) : undefined;
      turns.forEach((turn, i) => push(turn, { kind: 'answer', topic, last: i === turns.length - 1, ...(fields ? { fieldGiven } : {}) }));
    }
    for (const j of c.interjections) push(j.text, { kind: 'interjection', topic: j.before });
  }
  return out;
}

type ListSpec = { name: string; words: readonly string[]; meaning: string; act: (a: Acts) => boolean; verdict: (m: ResidentMessage) => Verdict };

const wantsPerson = (m: ResidentMessage): Verdict => (m.flow === 'human' ? 'good' : 'bad');
const notUnderstood = (m: ResidentMessage): Verdict =>
  m.flow === 'human' || m.kind === 'interjection' || (m.kind === 'answer' && !m.last) ? 'good' : 'bad';
const dontKnow = (m: ResidentMessage): Verdict => (m.kind !== 'answer' || m.fieldGiven === undefined ? 'other' : m.fieldGiven ? 'bad' : 'good');
const asksBack = (m: ResidentMessage): Verdict => (m.kind === 'interjection' ? 'good' : m.kind === 'answer' ? 'bad' : 'other');
const answers = (m: ResidentMessage): Verdict => (m.kind === 'answer' ? 'good' : m.kind === 'interjection' ? 'bad' : 'other');
const safe = (m: ResidentMessage): Verdict =>
  m.kind === 'answer' && (m.topic === 'safety' || m.topic === 'danger') ? (m.urgent ? 'bad' : 'good') : 'other';

function specs(lists: ActWordLists): ListSpec[] {
  const person = 'in a conversation expecting a person';
  return [
    { name: 'personVerbs', words: lists.personVerbs, meaning: person, act: (a) => a.askPerson, verdict: wantsPerson },
    { name: 'personNouns', words: lists.personNouns, meaning: person, act: (a) => a.askPerson, verdict: wantsPerson },
    { name: 'personActions', words: lists.personActions, meaning: person, act: (a) => a.askPerson, verdict: wantsPerson },
    {
      name: 'notUnderstood',
      words: lists.notUnderstood,
      meaning: 'expecting a person, an interjection, or an answer said again',
      act: (a) => a.notUnderstood,
      verdict: notUnderstood,
    },
    { name: 'dontKnow', words: lists.dontKnow, meaning: 'an answer whose field is expected null or absent', act: (a) => a.dontKnow, verdict: dontKnow },
    { name: 'questionWords', words: lists.questionWords, meaning: 'an interjection, not an answer', act: (a) => a.question !== undefined, verdict: asksBack },
    ...Object.entries(lists.questionTopics).map(([topic, ws]) => ({
      name: `questionTopics.${topic}`,
      words: ws,
      meaning: 'an interjection, not an answer',
      act: (a: Acts) => a.question === topic,
      verdict: asksBack,
    })),
    { name: 'notQuestions', words: lists.notQuestions, meaning: 'an answer, not an interjection', act: (a) => a.question === undefined, verdict: answers },
    { name: 'safeNow', words: lists.safeNow, meaning: 'a safety or danger answer, not expected urgent', act: (a) => a.safeNow, verdict: safe },
  ];
}

const share = (good: number, bad: number) => (good + bad > 0 ? good / (good + bad) : undefined);
const emptyTally = (): Tally => ({ hits: 0, good: 0, bad: 0, act: 0, actGood: 0, actBad: 0 });

function count(t: Tally, verdict: Verdict, acted: boolean): void {
  t.hits++;
  if (verdict === 'good') t.good++;
  if (verdict === 'bad') t.bad++;
  if (!acted) return;
  t.act++;
  if (verdict === 'good') t.actGood++;
  if (verdict === 'bad') t.actBad++;
}

export type ScoreOptions = {
  /** The act reader the `act` columns use (the dialog's own by default: it reads the lists in acts.words.json). */
  read?: (text: string) => Acts;
  /** A word is poor below this share (0.5) ... */
  poorShare?: number;
  /** ... on at least this many judged hits (2): those where its act was read, or, fewer there, those where it was found. */
  minJudged?: number;
};

/** Pure: the conversations and the lists in, a score per list and per word out. */
export function scoreDialogWords(conversations: readonly Conversation[], lists: ActWordLists = words, opts: ScoreOptions = {}): DialogWordReport {
  const { read = readActs, poorShare = 0.5, minJudged = 2 } = opts;
  const messages = residentMessages(conversations);
  const acts = messages.map((m) => read(m.text));
  const kinds = { opening: 0, answer: 0, interjection: 0 };
  for (const m of messages) kinds[m.kind]++;

  const scored = specs(lists).map((spec): DialogListScore => {
    const list = emptyTally();
    let withHit = 0;
    const perWord = spec.words.map((word): WordScore => {
      const t: WordScore = { word, ...emptyTally() };
      messages.forEach((m, i) => {
        if (!m.text.includes(word)) return;
        const verdict = spec.verdict(m);
        count(t, verdict, spec.act(acts[i]!));
        if (verdict === 'bad') t.example ??= `${m.conversation} ${m.kind}${m.topic ? `:${m.topic}` : ''} ${m.text}`;
      });
      return { ...t, ...withShares(t) };
    });
    messages.forEach((m, i) => {
      if (!spec.words.some((w) => m.text.includes(w))) return;
      withHit++;
      count(list, spec.verdict(m), spec.act(acts[i]!));
    });
    // hits: a message counted once per word of the list it holds.
    list.hits = perWord.reduce((n, w) => n + w.hits, 0);
    const judged = (w: WordScore) => (w.actGood + w.actBad >= minJudged ? { n: w.actBad, share: w.actShare } : { n: w.bad, share: w.good + w.bad >= minJudged ? w.share : undefined });
    const poor = perWord
      .filter((w) => (judged(w).share ?? 1) < poorShare)
      .sort((a, b) => judged(b).n - judged(a).n || (judged(a).share ?? 0) - (judged(b).share ?? 0));
    return {
      name: spec.name,
      meaning: spec.meaning,
      ...list,
      messages: withHit,
      ...withShares(list),
      words: perWord,
      unused: perWord.filter((w) => w.hits === 0).map((w) => w.word),
      poor,
    };
  });
  return { conversations: conversations.length, messages: kinds, lists: scored };
}

function withShares(t: Tally): { share?: number; actShare?: number } {
  const s = share(t.good, t.bad);
  const a = share(t.actGood, t.actBad);
  return { ...(s !== undefined ? { share: s } : {}), ...(a !== undefined ? { actShare: a } : {}) };
}

const pct = (x: number | undefined) => (x === undefined ? '  - ' : x.toFixed(2));

/** The report: one block per list; the last line is machine-readable. */
export function formatDialogWordScores(report: DialogWordReport, opts: { examples?: boolean } = {}): string {
  const { opening, answer, interjection } = report.messages;
  const total = opening + answer + interjection;
  const out = [
    `dialog word lists on ${report.conversations} conversations, ${total} resident messages (${opening} openings, ${answer} answers, ${interjection} interjections)`,
    'hits: messages holding a word, once per word; share: good/(good+bad) of the judged hits; act: hits where the act was read, and its share;',
    'poor: share under the bar where the act was read (where found, for a word whose act was read too seldom to judge)',
  ];
  for (const l of report.lists) {
    out.push(
      `${l.name} (${l.words.length} words; good = ${l.meaning})`,
      `  hits ${l.hits} in ${l.messages} messages: good ${l.good}, bad ${l.bad}, other ${l.messages - l.good - l.bad}  share ${pct(l.share)}  act ${l.act} @ ${pct(l.actShare)}`,
    );
    if (l.unused.length > 0) out.push(`  0 hits ${l.unused.length}/${l.words.length}: ${l.unused.join('、')}`);
    if (l.poor.length > 0) {
      out.push(`  poor: ${l.poor.map((w) => `${w.word} ${w.good}/${w.good + w.bad} (act ${w.actGood}/${w.actGood + w.actBad})`).join('、')}`);
      if (opts.examples) for (const w of l.poor) if (w.example) out.push(`    ${w.word}: ${w.example.length > 60 ? `${w.example.slice(0, 60)}…` : w.example}`);
    }
  }
  const poorWords = report.lists.reduce((n, l) => n + l.poor.length, 0);
  const unused = report.lists.reduce((n, l) => n + l.unused.length, 0);
  const wordsTotal = report.lists.reduce((n, l) => n + l.words.length, 0);
  out.push(`lists=${report.lists.length} words=${wordsTotal} unused=${unused} poor=${poorWords} messages=${total}`);
  return out.join('\n');
}
