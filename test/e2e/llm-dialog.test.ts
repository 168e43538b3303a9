import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/dialogs/eval/conversation-file.js';
import { play, type HotlineSession } from '../../src/dialogs/eval/play.js';
import { openDialogState } from '../../src/privacy/sealed-state.js';
import { actsJson, fail, reply, replyLate, startFakeOpenAi, type ChatRequest, type FakeOpenAi } from '../fakes/openai.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { smsResident } from '../helpers/sms-resident.js';

// The optional LLM through the one dialog runner, over the real signed SMS webhook: the same resident plays the same
// conversation against a hotline with a model (a local server speaking the OpenAI wire format) and one without.

const ACCOUNT = { sid: 'AC00000000000000000000000000000014', token: 'llm-token', to: '+8653912349' };
const TWILIO = { TWILIO_ACCOUNT_SID: ACCOUNT.sid, TWILIO_AUTH_TOKEN: ACCOUNT.token, TWILIO_NUMBER_12349: ACCOUNT.to };
const ID = '11010519491231002X';
const ODD_NAME = '俺嘛，户口本上写的是刘桂芝三个字';
const STORY = '说起来话长，闺女出嫁了，儿子在外打工不回来，屋里就我一个老婆子';
const NOWHERE = '俺住河边那个庄';

let fake: FakeOpenAi;
let withLlm: TestEnv;
let without: TestEnv;
const sayWith = smsResident(() => withLlm, ACCOUNT);
const sayWithout = smsResident(() => without, ACCOUNT);

beforeAll(async () => {
  fake = await startFakeOpenAi();
  [withLlm, without] = await Promise.all([
    createTestEnv({ ...TWILIO, LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '300' }),
    createTestEnv(TWILIO),
  ]);
});
afterAll(async () => {
  await Promise.all([withLlm?.close(), without?.close()]);
  await fake?.close();
});

/** One resident applying for herself; the first answer to name, household and place is one the rules cannot read. */
function resident(from: string): Conversation {
  return Conversation.parse({
    id: from,
    channel: 'sms',
    from,
    opening: ['我想申请低保'],
    answers: {
      reason: ['老伴走了，俺腿脚不好，家里没啥收入'],
      name: [ODD_NAME, '刘桂芝'],
      id_number: [ID],
      household: [STORY, '就我一个人'],
      place: [NOWHERE, '枣园镇东鲁村'],
      phone: ['是'],
      // Free text is read by the model too: the ID and phone said in passing must reach it masked.
      relation: [`俺自个儿办的，身份证${ID}，有事打${from.slice(3)}`],
      consent: ['同意'],
      safety: ['没有'],
      confirm: ['对'],
    },
    expect: { flow: 'application' },
  });
}

async function conversationOf(env: TestEnv, from: string) {
  return env.deps.db.conversation.findFirst({ where: { identity: { address: from } }, orderBy: { startedAt: 'desc' } });
}

async function playOn(env: TestEnv, from: string) {
  const say = env === withLlm ? sayWith : sayWithout;
  const session: HotlineSession = {
    send: async (turn) => [await say(from, typeof turn === 'string' ? turn : (turn.text ?? ''))],
    async waiting() {
      const conv = await conversationOf(env, from);
      const state = conv && openDialogState(conv.state, env.deps.cipher);
      return state ? { flow: state.flow, step: state.step } : undefined;
    },
  };
  const played = await play(resident(from), session);
  const conv = await conversationOf(env, from);
  const opened = await env.deps.db.case.findFirst({ where: { conversationId: conv!.id }, include: { township: true, village: true } });
  const bot = played.transcript.filter((m) => m.who === 'bot').map((m) => m.text.replace(/\d{4}[\s-]?\d{4}[\s-]?\d{4}/g, '<编号>'));
  return {
    turns: played.residentTurns,
    bot,
    fields: opened && {
      name: opened.applicantName,
      householdSize: opened.householdSize,
      township: opened.township?.name,
      village: opened.village?.name,
      relation: opened.relation,
      idNumberMasked: opened.idNumberMasked,
      consentGiven: opened.consentGiven,
    },
  };
}

const isActs = (b: ChatRequest) => b.response_format?.type === 'json_schema';
const asked = (b: ChatRequest) => b.messages.at(-1)?.content ?? '';
/** Routing's own requests (a case's classification) fail: the rules route, alike in both hotlines. */
const routingFails = (handler: (b: ChatRequest, res: ServerResponse) => void) => (b: ChatRequest, res: ServerResponse) => (isActs(b) ? handler(b, res) : fail(res, 500));

const EXPECTED = { name: '刘桂芝', householdSize: 1, township: '枣园镇', village: '东鲁村', relation: '本人', idNumberMasked: '110***********002X', consentGiven: true };

describe('a hotline with an LLM reads what the rules cannot', () => {
  it('a name in an odd sentence and a household told as a story reach the case; a rules reading stands against the model', async () => {
    fake.handle(
      routingFails((b, res) => {
        const q = asked(b);
        if (q.includes('姓名') && q.includes('刘桂芝')) return reply(res, actsJson({ act: 'answer', field: 'name', value: '刘桂芝' }));
        if (q.includes('家庭人口')) return reply(res, actsJson({ act: 'answer', field: 'householdSize', value: '1' }));
        // The rules read "俺自个儿办的" as 本人: the model's other answer is not used.
        if (q.includes('替谁申请')) return reply(res, actsJson({ act: 'answer', field: 'relation', value: '邻居', confidence: 0.99 }));
        return reply(res, actsJson({ act: 'off_topic' }));
      }),
    );
    const before = fake.requests.length;
    const modelRun = await playOn(withLlm, '+8613800110001');
    expect(fake.requests.length).toBeGreaterThan(before);
    const rulesRun = await playOn(without, '+8613800110001');

    expect(modelRun.fields).toEqual(EXPECTED);
    expect(rulesRun.fields).toEqual(EXPECTED);
    // The rules needed the name and the household told again; with the model, neither was asked twice.
    expect(rulesRun.bot.join('\n')).toMatch(/没听清名字/);
    expect(modelRun.bot.join('\n')).not.toMatch(/没听清名字/);
    expect(modelRun.turns).toBe(rulesRun.turns - 2);
  });

  it('never sends the resident’s ID or phone number, and never asks the model about a number', async () => {
    const bodies = fake.raw.join('\n');
    expect(bodies).not.toContain(ID);
    expect(bodies).not.toMatch(/1380011\d{4}/);
    // The relation answer, ID and phone in passing, was read by the model with both masked.
    expect(bodies).toContain('110***********002X');
    const topics = fake.requests.filter(isActs).map(asked);
    expect(topics.some((q) => /身份证号|联系电话/.test(q.split('\n')[0]!))).toBe(false);
  });
});

describe('when the model fails or answers what its item refuses, the rules read the turn and nothing is lost', () => {
  const late = actsJson({ act: 'answer', field: 'name', value: '刘桂芝' });
  const modes: [string, (b: ChatRequest, res: ServerResponse) => void, string | undefined][] = [
    ['a timeout', (_b, res) => replyLate(res, late, 1500), 'llm_acts_timeout'],
    ['an HTTP 500', (_b, res) => fail(res, 500), 'llm_acts_http'],
    ['malformed JSON', (_b, res) => reply(res, '{"acts": [ {"act": "answer", '), 'llm_acts_not_json'],
    ['an answer outside the schema', (_b, res) => reply(res, actsJson({ act: 'answer', value: '刘桂芝' })), 'llm_acts_schema'],
    [
      'values the items refuse: a name not said, household 0, a place not in the county',
      (b, res) => {
        const q = asked(b);
        if (q.includes('姓名')) return reply(res, actsJson({ act: 'answer', field: 'name', value: '王秀兰' }));
        if (q.includes('家庭人口')) return reply(res, actsJson({ act: 'answer', field: 'householdSize', value: '0' }));
        if (q.includes('住址')) return reply(res, actsJson({ act: 'answer', field: 'place', value: '火星镇月亮村' }));
        return reply(res, actsJson({ act: 'off_topic' }));
      },
      undefined,
    ],
  ];
  modes.forEach(([what, handler, code], i) => {
    it(`on ${what}: the same replies and the same case as without a model`, async () => {
      const from = `+86138001200${i}`;
      fake.handle(routingFails(handler));
      const logged = withLlm.logs.length;
      const modelRun = await playOn(withLlm, from);
      const rulesRun = await playOn(without, from);
      expect(modelRun.bot).toEqual(rulesRun.bot);
      expect(modelRun.fields).toEqual(EXPECTED);
      // Only the reader's own lines: other lines are not all JSON once scrubbed (a responseTime's digits are masked).
      const warnings = withLlm.logs
        .slice(logged)
        .filter((l) => l.includes('dialog LLM not used'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      if (code) expect(warnings.length).toBeGreaterThan(0);
      for (const w of warnings) {
        expect(w.code).toBe(code);
        for (const words of [ODD_NAME, STORY, NOWHERE, '刘桂芝', '老婆子']) expect(JSON.stringify(w)).not.toContain(words);
      }
    });
  });
});

describe('a hotline without an LLM', () => {
  it('asks nothing of any model: no reader, no request', async () => {
    expect(without.deps.turnDeps.readTurn).toBeUndefined();
    expect(withLlm.deps.turnDeps.readTurn).toBeDefined();
    const before = fake.requests.length;
    await playOn(without, '+8613800130001');
    expect(fake.requests.length).toBe(before);
  });
});
