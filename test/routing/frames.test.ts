import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/routing/analyse.js';
import { parseEvalLines } from '../../src/routing/eval.js';
import { compileFrameWords, FrameWordsFile, FRAME_WORDS_PATH } from '../../src/routing/frame-words.js';
import { readFrames, type Finding } from '../../src/routing/frames.js';
import { detectUrgency, ruleUrgency } from '../../src/routing/urgency.js';
import { scoreWordLists } from '../../src/routing/word-scores.js';

const read = (text: string) => readFrames(analyse(text));
const finding = (text: string, kind: string): Finding | undefined => read(text).findings.find((f) => f.kind === kind);

describe('meanings asked about rather than flagged', () => {
  it('someone lying still is asked about, and flagged when said to be so now', () => {
    expect(finding('路边趴着个老头不动', 'acute_illness')).toMatchObject({ reading: 'doubtful' });
    expect(finding('老人倒在楼道里，现在喊他没反应', 'acute_illness')).toMatchObject({ reading: 'holds' });
    // Stillness without anyone lying there is no sign of anything.
    expect(finding('车坏了，推也推不动', 'acute_illness')?.reading ?? 'dropped').toBe('dropped');
  });

  it('"撑不下去" is hardship or despair: asked about alone, flagged with a sign of parting', () => {
    expect(finding('一个人带俩孩子，真撑不下去了', 'self_harm')).toMatchObject({ reading: 'doubtful' });
    expect(finding('撑不下去了，存折密码都写给闺女了，对不起她', 'self_harm')).toMatchObject({ reading: 'holds' });
  });
});

describe('situation frames: who, state, time, modality', () => {
  it('reads who a clause is about, carrying it to clauses that name nobody', () => {
    const { frames } = read('隔壁老太太八十多了，早上摔倒了，到现在起不来');
    expect(frames.map((f) => f.who?.who)).toEqual(['elder', 'elder', 'elder']);
    expect(frames[1]?.who?.carried).toBe(true);
    expect(read('我家孩子才三岁，一个人在家').frames[0]?.who?.who).toBe('child');
    expect(read('邻居瘫痪在床').frames[0]?.who?.who).toBe('disabled');
  });

  it('reads the time of a clause', () => {
    const [now] = read('他现在还在打我').frames;
    expect(now?.time.now).toBe(true);
    const [past] = read('去年着过一回火').frames;
    expect(past?.time.past).toBe(true);
  });

  it('holds a state said to happen now', () => {
    const f = finding('独居老人早上摔倒，至今起不来', 'injury');
    expect(f?.reading).toBe('holds');
  });

  const dropped: [string, string, string][] = [
    ['我不是想死，就是想问问低保', 'self_harm', 'negated'],
    ['家里没有着火', 'fire', 'negated'],
    ['去年家里着了火，早修好了', 'fire', 'resolved'],
    ['前几年被家暴，离了婚', 'violence', 'past'],
    ['万一以后着火了怎么办', 'fire', 'hypothetical'],
    ['要是房子塌了，能补多少', 'collapse', 'hypothetical'],
    ['电视上说有人被困在山里', 'trapped', 'reported'],
    ['新闻里说有个孩子被打了，我看着难受', 'violence', 'reported'],
    ['俺家大棚全砸塌了', 'collapse', 'nonhuman'],
  ];
  for (const [text, kind, why] of dropped) {
    it(`drops ${kind} that is ${why}: ${text}`, () => {
      const f = finding(text, kind);
      expect(f?.reading).toBe('dropped');
      expect(f?.why).toBe(why);
      expect(detectUrgency(text).signals).not.toContain(kind);
    });
  }

  const doubtful: [string, string, string][] = [
    ['我说不想活了那是气话，你们别当真', 'self_harm', 'retracted'],
    ['我妈说要喝药那是好几年前的事了', 'self_harm', 'past'],
    ['想问问家暴的话妇联管不管', 'violence', 'policy'],
    ['怕他想不开', 'self_harm', 'worry'],
  ];
  for (const [text, kind, why] of doubtful) {
    it(`keeps ${kind} doubtful (the ask band), not dropped, when ${why}: ${text}`, () => {
      const f = finding(text, kind);
      expect(f?.reading).toBe('doubtful');
      expect(f?.why).toBe(why);
      const u = ruleUrgency(analyse(text));
      expect(u.urgent).toBe(false);
      expect(u.doubtful).toContain(kind);
    });
  }

  it('needs a cue’s context: a child alone now flags, a child without care in a family story is only doubtful', () => {
    expect(detectUrgency('邻居家孩子一个人在家两天了').signals).toEqual(['alone']);
    const story = ruleUrgency(analyse('他娘走了，孩子没人管'));
    expect(story.urgent).toBe(false);
    expect(story.doubtful).toContain('alone');
  });

  it('takes 在 before a verb as happening now', () => {
    expect(detectUrgency('有人在打孩子').signals).toEqual(['violence']);
  });
});

describe('reasons for staff', () => {
  it('are plain sentences with what was said and when, not lists of matched words', () => {
    const { reason } = detectUrgency('独居老人早上摔倒，至今起不来');
    expect(reason).toBe('有人受伤或摔倒起不来：独居老人早上摔倒，至今起不来（现在），提醒拨打120');
    expect(reason).not.toMatch(/命中/);
  });

  it('say what is doubtful and why', () => {
    expect(ruleUrgency(analyse('我说不想活了那是气话，你们别当真')).doubtReason).toBe('拿不准是否有轻生或自伤的话：我说不想活了那是气话（本人说是气话或误会）');
  });
});

describe('frame word lists', () => {
  it('are valid data: every state has words, every cue group it needs exists', () => {
    const file = FrameWordsFile.parse(JSON.parse(readFileSync(FRAME_WORDS_PATH, 'utf8')));
    expect(() => compileFrameWords(file)).not.toThrow();
    expect(() => FrameWordsFile.parse({ ...file, states: { ...file.states, fire: { words: ['着火'], cues: [{ words: ['冒烟'], needs: ['cue:nowhere'] }] } } })).toThrow(/unknown cue group/);
  });

  it('are scored against the training corpus: each state list that holds there is mostly right', () => {
    const lines = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/train.jsonl', import.meta.url), 'utf8'));
    const scores = scoreWordLists(lines);
    const states = scores.filter((s) => s.held !== undefined && (s.held ?? 0) >= 5);
    expect(states.length).toBeGreaterThan(10);
    for (const s of states) expect(s.heldPrecision, s.name).toBeGreaterThanOrEqual(0.75);
    // Markers that mean "not now" are rarely on urgent lines. Past words also set the background of long
    // stories whose present is urgent ("前年出了车祸……今天米缸见底了"; a sixth of the corpus is long stories).
    const bounds: Record<string, number> = { 'time:past': 0.2, 'time:resolved': 0.15, 'mod:hypothetical': 0.15, 'mod:policy': 0.15 };
    for (const [name, bound] of Object.entries(bounds)) {
      expect(scores.find((s) => s.name === name)?.urgentShare, name).toBeLessThan(bound);
    }
  });
});

describe('打 of a call', () => {
  const violence = (text: string) => readFrames(analyse(text)).findings.filter((f) => f.kind === 'violence');
  it('is no blow ("打俺儿的电话", "打我手机"), while 打 of a person is', () => {
    expect(violence('打俺儿的电话吧，俺耳朵背')).toEqual([]);
    expect(violence('有事打我手机就行')).toEqual([]);
    expect(violence('他又打我了，我躲在厕所').length).toBeGreaterThan(0);
  });
});
