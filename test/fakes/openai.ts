import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions request as the openai SDK sends it. */
export type ChatRequest = {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
};

/** Answers one request: `reply(res, content)`, an error status, or a late answer. */
export type ChatHandler = (body: ChatRequest, res: ServerResponse) => void;

export interface FakeOpenAi {
  /** Base URL for LLM_BASE_URL / the SDK's baseURL. */
  baseUrl: string;
  /** Every request body as it arrived on the wire, before parsing. */
  raw: string[];
  requests: ChatRequest[];
  handle(handler: ChatHandler): void;
  close(): Promise<void>;
}

/** A chat completion in the OpenAI wire format with `content` as the assistant's message. */
export function reply(res: ServerResponse, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'test-model',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    }),
  );
}

/** Answers after `ms`, unless the client gave up first. */
export function replyLate(res: ServerResponse, content: string, ms: number): void {
  const late = setTimeout(() => reply(res, content), ms);
  res.on('close', () => clearTimeout(late));
}

export function fail(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":{"message":"boom","type":"server_error"}}');
}

/** A local stand-in for an OpenAI-compatible `/v1/chat/completions` endpoint. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let handler: ChatHandler = (_b, res) => fail(res, 503);
  const raw: string[] = [];
  const requests: ChatRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      raw.push(body);
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      handler(parsed, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    raw,
    requests,
    handle: (h) => (handler = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The act JSON a model would send: one act per entry, unused keys null. */
export function actsJson(...acts: Array<{ act: string; field?: string; value?: string; topic?: string; confidence?: number }>): string {
  return JSON.stringify({ acts: acts.map((a) => ({ act: a.act, field: a.field ?? null, value: a.value ?? null, topic: a.topic ?? null, confidence: a.confidence ?? 0.9 })) });
}
