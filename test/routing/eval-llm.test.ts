import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classify } from '../../src/routing/classify.js';
import type { EvalLine } from '../../src/routing/eval.js';
import { compareWithLlm, formatComparison } from '../../src/routing/eval-llm.js';
import { createLlmClassifier } from '../../src/routing/llm.js';
import { startFakeServer, type FakeServer } from '../fakes/http.js';

const run = promisify(execFile);

const LINES: EvalLine[] = [
  { text: '家里着火了，老人被困在屋里', expect: ['disaster', 'temporary'], urgent: true },
  { text: '想申请低保，要带啥材料', expect: ['minimum_living'], urgent: false },
  { text: '俺爹早上在院里摔了一跤，到现在还起不来，电话13812341234', expect: ['elderly', 'medical'], urgent: true },
  { text: '孩子上不起学，学费太贵', expect: ['education'], urgent: false },
];

/** What the fake model answers for each line: right on some, wrong on one, broken on one. */
const ANSWERS: Record<string, unknown> = {
  家里着火了: { categories: [{ code: 'disaster', reason: '房子着火' }], urgent: true, urgentReason: '着火有人被困', lifeDanger: true },
  想申请低保: { categories: [{ code: 'minimum_living', reason: '低保' }], urgent: false },
  俺爹早上: { categories: [{ code: 'medical', reason: '摔伤' }], urgent: true, urgentReason: '老人摔倒起不来' },
  孩子上不起学: 'not json at all',
};

function completion(content: string) {
  return { id: 'c', object: 'chat.completion', created: 0, model: 'test-model', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] };
}

let server: FakeServer;
const seen: string[] = [];

beforeAll(async () => {
  server = await startFakeServer((req) => {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return { status: 404, json: {} };
    const body = JSON.parse(req.body) as { messages: { role: string; content: string }[] };
    const said = body.messages.find((m) => m.role === 'user')?.content ?? '';
    seen.push(said);
    const key = Object.keys(ANSWERS).find((k) => said.includes(k));
    const answer = key ? ANSWERS[key] : undefined;
    return { status: 200, json: completion(typeof answer === 'string' ? answer : JSON.stringify(answer ?? { categories: [] })) };
  });
});

afterAll(async () => {
  await server.close();
});

describe('compareWithLlm', () => {
  it('scores the floor, the model alone and the model over the floor side by side, on every line', async () => {
    const warn = vi.fn();
    const llm = createLlmClassifier({ baseUrl: `${server.url}/v1`, apiKey: 'k', model: 'test-model', timeoutMs: 2000, warn });
    seen.length = 0;
    const c = await compareWithLlm(LINES, (t) => classify(t), llm);
    expect(seen).toHaveLength(LINES.length);
    expect(seen.join('\n')).not.toContain('13812341234');
    expect(c.answered).toBe(3);
    expect(c.failures).toEqual({ 'answer is not the expected JSON': 1 });
    expect(c.llm.total).toBe(4);
    // The model alone answered nothing for the broken line: three of four leads right.
    expect(c.llm.accuracy).toBe(0.75);
    // Over the floor, nothing the floor had is lost.
    expect(c.combined.accuracy).toBeGreaterThanOrEqual(c.floor.accuracy);
    expect(c.combined.urgentRecall).toBe(1);

    const report = formatComparison(c);
    const lines = report.split('\n');
    expect(lines[0]).toMatch(/4 lines; the model answered 3/);
    expect(report).toMatch(/rules\+model\s+llm alone\s+llm over floor/);
    expect(report).toMatch(/no answer \(answer is not the expected JSON\): 1/);
    expect(lines.at(-1)).toMatch(/^accuracy=\d\.\d{3} urgent_recall=\d\.\d{3} urgent_precision=\d\.\d{3}$/);
    expect(report).not.toContain('13812341234');
  });
});

describe('hotline eval routing --llm', () => {
  it('runs the comparison against the configured model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-llm-'));
    const file = join(dir, 'lines.jsonl');
    writeFileSync(file, LINES.map((l) => JSON.stringify(l)).join('\n'));
    const env = { ...process.env, LLM_BASE_URL: `${server.url}/v1`, LLM_MODEL: 'test-model', LLM_API_KEY: 'k' };
    const { stdout } = await run('node', ['bin/hotline.mjs', 'eval', 'routing', file, '--llm'], { env });
    expect(stdout).toMatch(/routing eval with the LLM: 4 lines/);
    expect(stdout).toMatch(/lead accuracy/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^accuracy=\d\.\d{3} urgent_recall=\d\.\d{3} urgent_precision=\d\.\d{3}$/);
  });

  it('says plainly when no model is configured', async () => {
    const env = { ...process.env, LLM_BASE_URL: '', LLM_MODEL: '' };
    await expect(run('node', ['bin/hotline.mjs', 'eval', 'routing', 'data/routing/corpus/test.jsonl', '--llm'], { env })).rejects.toThrow(/--llm needs an LLM/);
  });
});
