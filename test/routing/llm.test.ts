import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classify } from '../../src/routing/classify.js';
import { classifyWithFallback, createLlmClassifier } from '../../src/routing/llm.js';
import { Classification } from '../../src/routing/types.js';

type Handler = (body: Record<string, unknown>, res: ServerResponse) => void;

/** A local stand-in for an OpenAI-compatible chat-completions endpoint. */
let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: Record<string, unknown>[];

function reply(res: ServerResponse, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'test-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    }),
  );
}

beforeEach(async () => {
  requests = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      requests.push(body);
      handler(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const make = (warn = vi.fn<(message: string) => void>(), timeoutMs = 2000) => ({
  warn,
  llm: createLlmClassifier({ baseUrl, apiKey: 'test-key', model: 'test-model', timeoutMs, warn }),
});

const TEXT = '我电话13812341234，想问问俺家老伴的事';

describe('createLlmClassifier.refine', () => {
  it('takes a good answer over the floor: its categories lead, the floor’s follow, its reading is kept', async () => {
    handler = (_body, res) =>
      reply(res, JSON.stringify({ situations: [{ who: '老人', state: '需要照顾', time: '现在', modality: '直说' }], categories: [{ code: 'elderly', confidence: 0.8, reason: '老人照护' }, { code: 'medical', confidence: 0.4, reason: '看病' }], urgent: false }));
    const floor = classify(TEXT);
    const { llm, warn } = make();
    const result = await llm.refine(TEXT, floor);
    expect(result.categories.slice(0, 2)).toEqual([
      { code: 'elderly', confidence: 0.8, reason: '模型: 老人照护' },
      { code: 'medical', confidence: 0.4, reason: '模型: 看病' },
    ]);
    for (const c of floor.categories) expect(result.categories.map((k) => k.code)).toContain(c.code);
    expect(result).toMatchObject({ urgent: floor.urgent, source: 'llm', unsure: false });
    expect(result.llm).toEqual({
      model: 'test-model',
      categories: [
        { code: 'elderly', confidence: 0.8, reason: '模型: 老人照护' },
        { code: 'medical', confidence: 0.4, reason: '模型: 看病' },
      ],
      urgent: false,
      lifeDanger: false,
      mentalHealth: false,
      situations: [{ who: '老人', state: '需要照顾', time: '现在', modality: '直说' }],
    });
    expect(Classification.parse(result)).toEqual(result);
    expect(warn).not.toHaveBeenCalled();
  });

  it('reads the text on its own: the floor’s answer is not in the prompt', async () => {
    handler = (_body, res) => reply(res, '{"categories":[{"code":"elderly"}]}');
    const { llm } = make();
    await llm.refine(TEXT, classify(TEXT));
    expect(JSON.stringify(requests[0]?.messages)).not.toContain('规则初判');
  });

  it('sends the model name, a JSON answer format and the text with numbers masked', async () => {
    handler = (_body, res) => reply(res, '{"categories":[{"code":"elderly"}]}');
    const { llm } = make();
    await llm.refine(TEXT, classify(TEXT));
    const [body] = requests;
    expect(body?.model).toBe('test-model');
    expect(body?.response_format).toEqual({ type: 'json_object' });
    const sent = JSON.stringify(body?.messages);
    expect(sent).toContain('138****1234');
    expect(sent).not.toContain('13812341234');
  });

  it('accepts JSON wrapped in a code fence, drops unknown codes and clamps confidence', async () => {
    handler = (_body, res) => reply(res, '```json\n{"categories":[{"code":"pension","confidence":0.9},{"code":"housing","confidence":3}]}\n```');
    const { llm } = make();
    const result = await llm.refine('房子的事', classify('房子的事'));
    expect(result.categories[0]).toEqual({ code: 'housing', confidence: 1, reason: '模型:' });
    expect(result.llm?.categories).toEqual([{ code: 'housing', confidence: 1, reason: '模型:' }]);
  });

  it('never lowers the rules’ urgency', async () => {
    handler = (_body, res) => reply(res, JSON.stringify({ categories: [{ code: 'medical' }], urgent: false, lifeDanger: false, mentalHealth: false }));
    const text = '我不想活了';
    const rules = classify(text);
    const { llm } = make();
    const result = await llm.refine(text, rules);
    expect(result.urgent).toBe(true);
    expect(result.mentalHealth).toBe(true);
    expect(result.urgentReason).toBe(rules.urgentReason);
  });

  it('lets the model raise urgency', async () => {
    handler = (_body, res) => reply(res, JSON.stringify({ categories: [{ code: 'elderly' }], urgent: true, urgentReason: '老人可能摔倒无人照顾' }));
    const { llm } = make();
    const result = await llm.refine(TEXT, classify(TEXT));
    expect(result.urgent).toBe(true);
    expect(result.urgentReason).toBe('模型判断紧急: 老人可能摔倒无人照顾');
  });

  const failures: [string, Handler, RegExp][] = [
    [
      'a timeout (a good answer that comes too late)',
      (_b, res) => {
        const late = setTimeout(() => reply(res, '{"categories":[{"code":"elderly"}]}'), 1500);
        res.on('close', () => clearTimeout(late));
      },
      /request failed \(timed out\)/,
    ],
    ['invalid JSON', (_b, res) => reply(res, '{"categories": [ {"code": "medical"'), /not the expected JSON/],
    ['an answer with no known code', (_b, res) => reply(res, '{"categories":[{"code":"pension"}],"urgent":false}'), /no known category/],
    ['an answer of the wrong shape', (_b, res) => reply(res, '{"categories":"medical"}'), /not the expected JSON/],
    ['an HTTP 500', (_b, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}'), /request failed \(HTTP 500\)/],
  ];
  for (const [what, failing, message] of failures) {
    it(`keeps the rules’ answer on ${what}`, async () => {
      handler = failing;
      const rules = classify(TEXT);
      const { llm, warn } = make(undefined, 300);
      const started = Date.now();
      const result = await llm.refine(TEXT, rules);
      // The floor's answer, with the failure on record (its kind only, never the resident's words).
      expect(result).toEqual({ ...rules, llm: { model: 'test-model', categories: [], urgent: false, lifeDanger: false, mentalHealth: false, error: expect.any(String) } });
      expect(result.llm?.error).toMatch(message);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(warn).toHaveBeenCalledOnce();
      expect(warn.mock.calls[0]?.[0]).toMatch(message);
      expect(warn.mock.calls[0]?.[0]).not.toContain('1381234');
    });
  }
});

describe('classifyWithFallback', () => {
  it('uses the rules alone without a model', async () => {
    await expect(classifyWithFallback(TEXT, undefined)).resolves.toEqual(classify(TEXT));
  });

  it('asks the model on every case, also when the rules are sure', async () => {
    handler = (_body, res) => reply(res, '{"categories":[{"code":"minimum_living","reason":"低保"}]}');
    const { llm } = make();
    const result: Classification = await classifyWithFallback('想申请低保，要带啥材料', llm);
    expect(result.source).toBe('llm');
    expect(result.llm?.categories[0]?.reason).toBe('模型: 低保');
    expect(requests).toHaveLength(1);
  });

  it('asks the model when the rules are unsure', async () => {
    handler = (_body, res) => reply(res, '{"categories":[{"code":"elderly"}]}');
    const { llm } = make();
    const result = await classifyWithFallback(TEXT, llm);
    expect(result.source).toBe('llm');
    expect(requests).toHaveLength(1);
  });
});
