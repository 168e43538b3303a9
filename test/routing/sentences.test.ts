import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/routing/analyse.js';
import { parseEvalLines } from '../../src/routing/eval.js';
import { frameWords, namedLists } from '../../src/routing/frame-words.js';
import { CATEGORY_LEXICON, HARDSHIP_WORDS, NEUTRAL_PHRASES } from '../../src/routing/lexicon.js';
import { sentences, storyParts } from '../../src/routing/sentences.js';

const lines = parseEvalLines(readFileSync(new URL('../../data/routing/corpus/dev.jsonl', import.meta.url), 'utf8')).map((l) => l.text);

/** The parts of a story as mostUrgentPart reads them, each with the analysis analysing it afresh gives. */
const partsAndFresh = (text: string) => storyParts(analyse(text), sentences(text)).map((p) => ({ part: p, fresh: analyse(p.text) }));

describe('story parts cut from the whole text', () => {
  it('splits after each sentence end, trims, drops empty sentences, and knows where each sits', () => {
    const text = '家里着火了！ 快来人。\n\n孩子还在屋里';
    expect(sentences(text)).toEqual([
      { text: '家里着火了！', start: 0, end: 6 },
      { text: '快来人。', start: 7, end: 11 },
      { text: '孩子还在屋里', start: 13, end: 19 },
    ]);
  });

  it('gives each part, a sentence alone or with the next, exactly the analysis analysing it afresh gives', () => {
    const variants = (t: string) => [
      t,
      t.replace(/[。！？]/gu, '\n'), // sentences joined with nothing between once the new line is trimmed
      t.replace(/。/gu, '。  '),
      t.replace(/。/gu, '。\u3000'),
      t.replace(/我/gu, '我們').replace(/这/gu, '這'), // traditional characters, folded
      t.replace(/，/gu, '！'),
      t.replace(/。/gu, '。3'),
      t.replace(/。/gu, '😀。'),
    ];
    let parts = 0;
    for (const line of lines) {
      for (const text of variants(line)) {
        for (const { part, fresh } of partsAndFresh(text)) {
          parts++;
          expect(part.analysis, part.text).toEqual(fresh);
        }
      }
    }
    expect(parts).toBeGreaterThan(1000);
  });

  it('relies on no lexicon or frame word holding a sentence end or whitespace', () => {
    const words = [
      ...Object.values(CATEGORY_LEXICON).flatMap((w) => Object.keys(w)),
      ...Object.keys(HARDSHIP_WORDS),
      ...NEUTRAL_PHRASES,
      ...namedLists(frameWords().file).flatMap((l) => l.words),
    ];
    expect(words.filter((w) => /[。！？!?；;\s]/u.test(w))).toEqual([]);
  });
});
