import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelQuestion } from '../../src/dialogs/model-gate.js';
import { createLlmTurnReader } from '../../src/intake/llm-acts.js';
import { createLogger } from '../../src/logging.js';
import { actsJson, fail, reply, replyLate, startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';

// The dialog's turn reader against a local server speaking the OpenAI chat-completions wire format.

const ID = '11010519491231002X';
const PHONE = '13812341234';
const TEXT = `俺嘛，户口本上写的是刘桂芝三个字，身份证${ID}，电话${PHONE}`;
const QUESTION: ModelQuestion = { flow: 'application', step: 'name', topic: '申请救助：姓名', text: TEXT };

let fake: FakeOpenAi;
let logs: string[];

beforeEach(async () => {
  fake = await startFakeOpenAi();
  logs = [];
});
afterEach(() => fake.close());

function reader(timeoutMs = 2000) {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  return createLlmTurnReader({ baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'test-model', timeoutMs, logger: createLogger('info', sink) });
}

describe('the LLM turn reader', () => {
  it('asks for the act schema as a strict JSON-schema response, and returns the acts it validated', async () => {
    fake.handle((_b, res) => reply(res, actsJson({ act: 'answer', field: 'name', value: '刘桂芝', confidence: 0.92 })));
    const acts = await reader()(QUESTION);
    expect(acts).toEqual([{ act: 'answer', field: 'name', value: '刘桂芝', topic: null, confidence: 0.92 }]);
    const [body] = fake.requests;
    expect(body?.model).toBe('test-model');
    expect(body?.response_format?.type).toBe('json_schema');
    expect(body?.response_format?.json_schema).toMatchObject({ name: 'dialog_acts', strict: true });
    const schema = body?.response_format?.json_schema?.schema as { required: string[]; additionalProperties: boolean; properties: { acts: { items: { required: string[] } } } };
    expect(schema).toMatchObject({ required: ['acts'], additionalProperties: false });
    expect(schema.properties.acts.items.required).toEqual(['act', 'field', 'value', 'topic', 'confidence']);
    expect(body?.messages.at(-1)?.content).toContain('申请救助：姓名');
    expect(body?.messages.at(-1)?.content).toContain('刘桂芝');
  });

  it('masks the resident’s ID and phone numbers before anything is sent', async () => {
    fake.handle((_b, res) => reply(res, actsJson({ act: 'off_topic' })));
    await reader()(QUESTION);
    expect(fake.raw).toHaveLength(1);
    expect(fake.raw[0]).not.toContain(ID);
    expect(fake.raw[0]).not.toContain(PHONE);
    expect(fake.raw[0]).toContain('110***********002X');
  });

  const failures: [string, Parameters<FakeOpenAi['handle']>[0], string][] = [
    ['a timeout (a good answer that comes too late)', (_b, res) => replyLate(res, actsJson({ act: 'answer', field: 'name', value: '刘桂芝' }), 1500), 'llm_acts_timeout'],
    ['an HTTP 500', (_b, res) => fail(res, 500), 'llm_acts_http'],
    ['malformed JSON', (_b, res) => reply(res, '{"acts": [ {"act": "answer"'), 'llm_acts_not_json'],
    ['JSON that is not the schema (no field for an answer)', (_b, res) => reply(res, actsJson({ act: 'answer', value: '刘桂芝' })), 'llm_acts_schema'],
    ['an act the schema does not know', (_b, res) => reply(res, actsJson({ act: 'submit' })), 'llm_acts_schema'],
    ['a confidence out of range', (_b, res) => reply(res, actsJson({ act: 'affirm', confidence: 3 })), 'llm_acts_schema'],
    ['an extra key', (_b, res) => reply(res, JSON.stringify({ acts: [], note: TEXT })), 'llm_acts_schema'],
  ];
  for (const [what, handler, code] of failures) {
    it(`on ${what}: nothing read, a warning with a code and without the resident’s words`, async () => {
      fake.handle(handler);
      expect(await reader(300)(QUESTION)).toBeUndefined();
      const warnings = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ code, flow: 'application', step: 'name', msg: 'dialog LLM not used; the rules read this turn' });
      if (code === 'llm_acts_http') expect(warnings[0]).toMatchObject({ status: 500 });
      for (const l of logs) for (const words of ['刘桂芝', '户口本', ID, PHONE, '110***********002X']) expect(l).not.toContain(words);
    });
  }
});
