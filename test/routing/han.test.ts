import { describe, expect, it } from 'vitest';
import { hanCount, isIdeograph } from '../../src/routing/han.js';

const byRegex = (text: string): number => text.match(/\p{Script=Han}/gu)?.length ?? 0;

describe('hanCount', () => {
  it('counts as /\\p{Script=Han}/gu matches, over every code point', () => {
    let all = '';
    for (let point = 0; point <= 0x10ffff; point++) if (point < 0xd800 || point > 0xdfff) all += String.fromCodePoint(point);
    for (let at = 0; at < all.length; at += 4096) {
      const chunk = all.slice(at, at + 4096);
      expect(hanCount(chunk)).toBe(byRegex(chunk));
    }
  });

  it('counts odd text the same: lone surrogates, emoji, mixed scripts', () => {
    for (const text of ['', '\uD800', '着火\uD800了\uDC00', '😀🔥𠀀𠀁', 'Hello 我家着火了 Привет ＡＢＣ 〇々', '俺家 house 燒了 🔥']) expect(hanCount(text)).toBe(byRegex(text));
  });

  it('takes the common ideographs for Han and never for punctuation, symbols or space', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      if (!isIdeograph(unit)) continue;
      const ch = String.fromCharCode(unit);
      expect(/\p{Script=Han}/u.test(ch) && !/[\s\p{P}\p{S}]/u.test(ch)).toBe(true);
    }
  });
});
