import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseConversations } from '../../../src/dialogs/eval/conversation-file.js';
import { play, topicOf, type HotlineSession } from '../../../src/dialogs/eval/play.js';
import { formatDialogReport, score, summarise } from '../../../src/dialogs/eval/score.js';

const run = promisify(execFile);
const FIXTURE = 'test/dialogs/fixtures/three-personas.jsonl';

describe('hotline eval dialogs', () => {
  it('plays each persona over the signed webhooks against a fresh hotline and reads the cases back', async () => {
    const { stdout } = await run('node', ['bin/hotline.mjs', 'eval', 'dialogs', FIXTURE], { timeout: 120_000 });
    const last = stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^conversations=3 captured=3 fields_right=9\/9 median_turns=\d+(\.\d)? max_repeats=\d+$/);
    expect(stdout).toContain('urgent_reached=1/1');
  }, 150_000);

  it('a file with a bad line is refused whole, naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialogs-'));
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, `{"id":"x","channel":"fax","from":"1","opening":["你好"],"answers":{},"expect":{"flow":"human"}}\nnot json\n`);
    const failed = await run('node', ['bin/hotline.mjs', 'eval', 'dialogs', file]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/第1行：channel/);
    expect((failed as { stderr: string }).stderr).toMatch(/第2行不是JSON/);
  });
});

describe('play and score', () => {
  const [persona] = parseConversations(
    JSON.stringify({
      id: 'p1',
      channel: 'sms',
      from: '+8613800000001',
      opening: ['想申请低保'],
      answers: { name: ['叫什么？', '王秀英'], id_number: ['记不清了'] },
      interjections: [{ before: 'id_number', text: '要带啥证件？' }],
      expect: { flow: 'application', fields: { name: '王秀英' } },
    }),
  );

  it('answers the topic the bot waits on, the n-th answer the n-th time, an interjection first', async () => {
    const steps = ['name', 'name', 'idNumber', 'idNumber', 'summary'] as const;
    let i = 0;
    const sent: string[] = [];
    const session: HotlineSession = {
      send: async (turn) => {
        sent.push(typeof turn === 'string' ? turn : (turn.text ?? ''));
        return ['同一句话'];
      },
      waiting: async () => (i < steps.length ? { flow: 'application', step: steps[i++] } : { flow: 'closed' }),
    };
    const played = await play(persona!, session);
    expect(sent).toEqual(['想申请低保', '叫什么？', '王秀英', '要带啥证件？', '记不清了', '不清楚']);
    expect(played.maxRepeats).toBe(6);
    expect(topicOf({ flow: 'application', step: 'summary' }, persona!)).toBe('confirm');
  });

  it('captured needs the case, the right type and every expected field; urgency must reach a person', () => {
    const played = { residentTurns: 5, transcript: [], maxRepeats: 1 };
    const view = (name: string) => ({
      type: 'application',
      categories: [],
      urgent: false,
      applicant: { name, idNumber: null, phone: null, householdSize: null, township: null, village: null, relation: null },
      consent: { given: null },
    });
    const right = score(persona!, played, { case: view('王秀英'), flaggedUrgent: false, withPerson: false, progressAnswered: false });
    const wrong = score(persona!, played, { case: view('王秀云'), flaggedUrgent: false, withPerson: false, progressAnswered: false });
    expect(right.captured).toBe(true);
    expect(wrong).toMatchObject({ captured: false, why: 'name: 应为王秀英，实为王秀云' });
    expect(summarise([right, wrong])).toMatchObject({ conversations: 2, captured: 1, fieldsRight: 1, fieldsTotal: 2, medianTurns: 5 });
  });

  it('the report names each conversation in which one prompt was sent more than twice', () => {
    const view = {
      type: 'application',
      categories: [],
      urgent: false,
      applicant: { name: '王秀英', idNumber: null, phone: null, householdSize: null, township: null, village: null, relation: null },
      consent: { given: null },
    };
    const outcome = { case: view, flaggedUrgent: false, withPerson: false, progressAnswered: false };
    const twice = score(persona!, { residentTurns: 5, transcript: [], maxRepeats: 2 }, outcome);
    const thrice = score({ ...persona!, id: 'x-3' }, { residentTurns: 5, transcript: [], maxRepeats: 3 }, outcome);
    const report = formatDialogReport([twice, thrice]).split('\n');
    expect(report.filter((l) => l.startsWith('↻'))).toEqual([`↻ x-3 [${persona!.style ?? '-'}] 同一句问了3遍`]);
    expect(report.at(-1)).toContain('max_repeats=3');
  });
});
