import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('routing tools', () => {
  it('hotline classify prints categories with reasons, urgency, agencies and township as JSON', async () => {
    const { stdout } = await run('node', ['bin/hotline.mjs', 'classify', '我家房子塌了一半，老人没地方住，在半程镇']);
    const out = JSON.parse(stdout);
    expect(out.categories[0]).toEqual({ code: expect.any(String), confidence: expect.any(Number), reason: expect.stringMatching(/提到“|模型把握/) });
    expect(out.categories.map((c: { code: string }) => c.code)).toContain('housing');
    expect(out.urgent).toBe(true);
    expect(out.urgentReason).toEqual(expect.any(String));
    expect(out.township).toBe('半程镇');
    expect(out.agencies).toContain('区住房和城乡建设局');
  });

  it('hotline eval routing reports accuracy and urgent recall/precision on its last line', async () => {
    const { stdout } = await run('node', ['bin/hotline.mjs', 'eval', 'routing', 'data/routing/corpus/test.jsonl']);
    const last = stdout.trim().split('\n').at(-1)!;
    const m = /^accuracy=(\d\.\d+) urgent_recall=(\d\.\d+) urgent_precision=(\d\.\d+)$/.exec(last);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0.85);
    expect(stdout).toMatch(/confusion|混淆|→/i);
  });
});
