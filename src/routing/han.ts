/**
 * How many Han characters a text holds, as `/\p{Script=Han}/gu` matches count them, without
 * building the list of matches: every message is counted, and most of it is common ideographs.
 */

const HAN = /\p{Script=Han}/u;
/** No Han character comes before the CJK radicals. */
const FIRST_HAN = 0x2e80;

/** Whether a UTF-16 code unit is one of the common ideographs (U+4E00–U+9FFF), all Han and none punctuation. */
export const isIdeograph = (unit: number): boolean => unit >= 0x4e00 && unit <= 0x9fff;

export function hanCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < FIRST_HAN) continue;
    if (isIdeograph(unit)) {
      n++;
      continue;
    }
    const point = text.codePointAt(i) as number;
    if (point > 0xffff) i++;
    if (HAN.test(String.fromCodePoint(point))) n++;
  }
  return n;
}
