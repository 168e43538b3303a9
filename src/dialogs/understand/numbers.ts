import { normalizeUtterance } from './normalize.js';

/** A number as residents write it inside a sentence: Arabic digits or Chinese numerals. */
export const NUMERAL = '[0-9零〇幺一二两三四五六七八九十廿]+';

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 幺: 1, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Numbers with units: 十二, 二十五, 一百零五, 两千. */
function withUnits(text: string): number | undefined {
  let total = 0;
  let pending: number | undefined;
  let lastUnit = Infinity;
  for (const ch of text) {
    const digit = DIGITS[ch];
    const unit = UNITS[ch];
    if (digit !== undefined) {
      // Two non-zero digits in a row ("一二十") is not a number.
      if (pending !== undefined && pending !== 0) return undefined;
      pending = digit;
    } else if (unit !== undefined) {
      // Units must fall (百 then 十), and 十 may stand alone for 一十.
      if (unit >= lastUnit || pending === 0) return undefined;
      if (pending === undefined && unit !== 10) return undefined;
      total += (pending ?? 1) * unit;
      pending = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
  }
  return total + (pending ?? 0);
}

export function parseChineseInt(text: string): number | undefined {
  const s = normalizeUtterance(text).replace(/\s/g, '').replace(/廿/g, '二十');
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  if ([...s].every((ch) => DIGITS[ch] !== undefined)) {
    // Digit by digit, as years and numbers are read: 二零二四.
    return Number([...s].map((ch) => DIGITS[ch]).join(''));
  }
  return withUnits(s);
}
