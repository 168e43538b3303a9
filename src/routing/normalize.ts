import { Converter, Locale } from 'opencc-js/t2cn';

/**
 * Text normalisation before matching: full-width → half-width, ASCII lower case,
 * traditional → simplified. Residents text from phones set to traditional input
 * (and Taiwan/Hong Kong relatives write for them), so the lexicon only holds
 * simplified forms.
 */

type Convert = (text: string) => string;

/** `traditional`: 1 for each UTF-16 code unit that the converter changes on its own. */
type Simplifier = { convert: Convert; traditional: Uint8Array };

let cached: Simplifier | undefined;

/** Builds the converter once, on first use: building it takes tens of milliseconds. */
function converter(): Simplifier {
  if (!cached) {
    const toSimplified = Converter({ from: 'tw', to: 'cn' });
    // Characters that change on their own. Most messages contain none of them,
    // and skipping the converter for those is most of the per-call cost.
    const changing = new Uint8Array(0x10000);
    const seen = new Set<number>();
    const groups = [...(Locale.from.tw ?? []), ...(Locale.to.cn ?? [])];
    for (const group of groups) {
      for (const dict of group) {
        const keys = typeof dict === 'string' ? dict.split('|').map((pair) => pair.split(' ')[0] ?? '') : dict.map((pair: readonly [string, string]) => pair[0]);
        for (const key of keys) {
          for (let i = 0; i < key.length; i++) {
            const code = key.charCodeAt(i);
            if (seen.has(code)) continue;
            seen.add(code);
            const ch = key[i] as string;
            if (toSimplified(ch) !== ch) changing[code] = 1;
          }
        }
      }
    }
    cached = { convert: toSimplified, traditional: changing };
  }
  return cached;
}

/** What toHalfWidth changes; most characters of a message are not, so only these are rebuilt. */
const WIDE_OR_UPPER = /[\uff01-\uff5e\u3000A-Z]/g;

/** Full-width forms (ＡＢＣ１２３！) and the ideographic space become their ASCII forms; ASCII letters are lower-cased. */
function toHalfWidth(text: string): string {
  return text.replace(WIDE_OR_UPPER, (ch) => {
    let code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    else if (code === 0x3000) code = 0x20;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    return String.fromCharCode(code);
  });
}

/** Text folded to the form the routing lexicon is written in: half-width, ASCII lower case, simplified characters. */
export function foldForLexicon(text: string): string {
  const half = toHalfWidth(text);
  const { convert: toSimplified, traditional: changing } = converter();
  for (let i = 0; i < half.length; i++) {
    if (changing[half.charCodeAt(i)] === 1) return toSimplified(half);
  }
  return half;
}
