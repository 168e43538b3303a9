import { describe, expect, it } from 'vitest';
import { Conversation } from '../../src/dialogs/eval/conversation-file.js';
import { formatDialogWordScores, residentMessages, scoreDialogWords, type ActWordLists } from '../../src/dialogs/eval/word-scores.js';
import type { Acts } from '../../src/dialogs/understand/acts.js';

/** Tests of src/dialogs/eval/word-scores.ts (`hotline eval dialog-words`): each word list judged against what the personas mean. */

const conv = (c: Record<string, unknown>) => Conversation.parse({ channel: 'sms', from: '+8613800138000', ...c });

const CONVERSATIONS = [
  // Wants a person: the person words are meant here.
  conv({
    id: 'h1',
    opening: ['我要找真人'],
    answers: { reason: ['听不懂，找真人', '找个真人'], name: ['俺叫老王'] },
    expect: { flow: 'human' },
  }),
  // An application: the ID number is not known, the name is; a question back before the phone.
  conv({
    id: 'a1',
    opening: ['想申请低保'],
    answers: {
      name: ['俺叫刘玉芝'],
      id_number: ['记不清了'],
      phone: [{ digits: '13800138000' }],
      consent: ['同意，俺家也没啥'],
      safety: ['还行，没事'],
    },
    interjections: [{ before: 'phone', text: '要带啥证件？' }],
    expect: { flow: 'application', fields: { name: '刘玉芝', idNumber: null, consent: true } },
  }),
  // An urgent report: "没事" said of the reporter, not of the one in danger; a don't-know where the name is given.
  conv({
    id: 'e1',
    opening: ['邻居家着火了'],
    answers: { safety: ['俺没事，他在里头'], name: ['不知道', '张洪福'], danger: ['不知道'] },
    expect: { flow: 'emergency', urgent: true, fields: { name: '张洪福' } },
  }),
];

const LISTS: ActWordLists = {
  personVerbs: ['找', '要'],
  personNouns: ['真人', '客服'],
  personActions: ['说'],
  notUnderstood: ['听不懂'],
  dontKnow: ['不知道', '记不清', '忘了'],
  questionWords: ['啥', '吗'],
  questionTopics: { documents: ['证件'], robot: ['机器人'] },
  notQuestions: ['没啥'],
  safeNow: ['没事', '还行'],
};

/** A stand-in reader, so the act columns do not depend on the real word file. */
const read = (text: string): Acts => ({
  askPerson: text.includes('真人'),
  safeNow: /没事|还行/.test(text),
  notUnderstood: text.includes('听不懂'),
  dontKnow: /不知道|记不清/.test(text),
  ...(text.endsWith('？') ? { question: text.includes('证件') ? 'documents' : 'other' } : {}),
});

const score = () => scoreDialogWords(CONVERSATIONS, LISTS, { read });
const list = (name: string) => score().lists.find((l) => l.name === name)!;
const word = (name: string, w: string) => list(name).words.find((x) => x.word === w)!;

describe('residentMessages', () => {
  it('reads every message a persona sends, keypad entries aside, with what the persona means around it', () => {
    const ms = residentMessages(CONVERSATIONS);
    expect(ms.map((m) => `${m.conversation} ${m.kind}${m.topic ? `:${m.topic}` : ''}`)).toEqual([
      'h1 opening', 'h1 answer:reason', 'h1 answer:reason', 'h1 answer:name',
      'a1 opening', 'a1 answer:name', 'a1 answer:id_number', 'a1 answer:consent', 'a1 answer:safety', 'a1 interjection:phone',
      'e1 opening', 'e1 answer:safety', 'e1 answer:name', 'e1 answer:name', 'e1 answer:danger',
    ]);
    const a1 = ms.filter((m) => m.conversation === 'a1');
    expect(a1.find((m) => m.topic === 'id_number')).toMatchObject({ fieldGiven: false, last: true });
    expect(a1.find((m) => m.topic === 'name')).toMatchObject({ fieldGiven: true });
    expect(a1.find((m) => m.topic === 'safety')?.fieldGiven).toBeUndefined();
    expect(ms.filter((m) => m.conversation === 'h1' && m.topic === 'reason').map((m) => m.last)).toEqual([false, true]);
  });
});

describe('scoreDialogWords', () => {
  it('person words: good in a conversation expecting a person, bad elsewhere; the act column tells harmless hits apart', () => {
    expect(word('personNouns', '真人')).toMatchObject({ hits: 3, good: 3, bad: 0, share: 1, act: 3 });
    // 要 in "要带啥证件？" of an application: a bad hit, but the act was not read there.
    expect(word('personVerbs', '要')).toMatchObject({ hits: 2, good: 1, bad: 1, act: 1, actGood: 1, actBad: 0 });
    expect(list('personNouns').unused).toEqual(['客服']);
    expect(list('personActions').unused).toEqual(['说']);
  });

  it("don't know: good where the expected field is null, bad where it is given, unjudged where the topic has no field", () => {
    expect(word('dontKnow', '记不清')).toMatchObject({ hits: 1, good: 1, bad: 0 });
    expect(word('dontKnow', '不知道')).toMatchObject({ hits: 2, good: 0, bad: 1 });
    expect(list('dontKnow')).toMatchObject({ messages: 3, good: 1, bad: 1 });
    expect(list('dontKnow').unused).toEqual(['忘了']);
  });

  it('question words: good in an interjection, bad in an answer, unjudged in an opening; notQuestions the other way', () => {
    expect(word('questionWords', '啥')).toMatchObject({ hits: 2, good: 1, bad: 1, act: 1, actGood: 1 });
    expect(word('questionTopics.documents', '证件')).toMatchObject({ good: 1, bad: 0, act: 1 });
    expect(word('notQuestions', '没啥')).toMatchObject({ good: 1, bad: 0, act: 1 });
    expect(list('questionTopics.robot').unused).toEqual(['机器人']);
  });

  it('safeNow: good in a safety answer of a conversation not urgent, bad in an urgent one', () => {
    expect(word('safeNow', '没事')).toMatchObject({ hits: 2, good: 1, bad: 1, share: 0.5 });
    expect(list('safeNow')).toMatchObject({ hits: 3, messages: 2, good: 1, bad: 1 });
  });

  it('notUnderstood: good in a conversation expecting a person', () => {
    expect(word('notUnderstood', '听不懂')).toMatchObject({ hits: 1, good: 1 });
  });

  it('a word is poor when its share is low where its act was read, or where found when its act was read too seldom', () => {
    const poorShare = (name: string, opts = {}) =>
      scoreDialogWords(CONVERSATIONS, LISTS, { read, ...opts }).lists.find((l) => l.name === name)!.poor.map((w) => w.word);
    expect(poorShare('safeNow')).toEqual([]); // 没事 at 0.5 is not under the bar
    expect(poorShare('safeNow', { poorShare: 0.6 })).toEqual(['没事']);
    // 不知道: one judged hit only, bad; judged from one hit it is poor.
    expect(poorShare('dontKnow')).toEqual([]);
    expect(poorShare('dontKnow', { minJudged: 1 })).toEqual(['不知道']);
    // 要: bad where found (1 of 2), but good wherever its act was read.
    expect(poorShare('personVerbs', { minJudged: 1, poorShare: 0.6 })).toEqual([]);
  });

  it('scores the real word file with the real reader by default', () => {
    const report = scoreDialogWords(CONVERSATIONS);
    expect(report.lists.map((l) => l.name)).toContain('questionTopics.timing');
    expect(report.messages).toEqual({ opening: 3, answer: 11, interjection: 1 });
  });
});

describe('formatDialogWordScores', () => {
  it('prints hits, messages and share per list, the words never found and the poor ones; the last line is machine-readable', () => {
    const text = formatDialogWordScores(scoreDialogWords(CONVERSATIONS, LISTS, { read, poorShare: 0.6 }), { examples: true });
    expect(text).toContain('on 3 conversations, 15 resident messages (3 openings, 11 answers, 1 interjections)');
    expect(text).toContain('  hits 3 in 2 messages: good 1, bad 1, other 0  share 0.50  act 2 @ 0.50');
    expect(text).toContain('  0 hits 1/3: 忘了');
    expect(text).toContain('  poor: 没事 1/2 (act 1/2)');
    expect(text).toContain('    没事: e1 answer:safety 俺没事，他在里头');
    expect(text.split('\n').at(-1)).toBe('lists=10 words=16 unused=5 poor=3 messages=15');
  });
});
