import * as OpenCC from 'opencc-js';

type Convert = (text: string) => string;

let toSimplified: Convert | undefined;

/** Residents in Taiwan/Hong Kong style write 裡/裏, 著/着 differently, so both variants are folded to mainland forms. */
function simplified(text: string): string {
  if (!toSimplified) {
    // Building the converters loads the dictionaries: do it once, on first use.
    const fromTw = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const fromHk = OpenCC.Converter({ from: 'hk', to: 'cn' });
    toSimplified = (t) => fromHk(fromTw(t));
  }
  return toSimplified(text);
}

/** Sentence punctuation stays full-width so clause splitting sees a single form of it. */
const KEEP_FULL_WIDTH = new Set(['，', '！', '？', '：', '；']);

function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (ch) =>
    KEEP_FULL_WIDTH.has(ch) ? ch : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** 嘞 is 的 in Henan and Shandong speech ("管事嘞人", "办低保嘞不"); at the end of a phrase it stays a particle ("好嘞"). */
const DIALECT_DE = /嘞(?=[\u4e00-\u9fff])/g;

/**
 * A resident's words as the dialog reads them: simplified characters, half-width letters and digits (sentence
 * punctuation kept full-width), runs of space made one, the dialect 嘞 as 的. Case is kept. Routing folds text its
 * own way (foldForLexicon).
 */
export function normalizeUtterance(text: string): string {
  // \s covers the ideographic space U+3000 and no-break spaces.
  return simplified(halfWidth(text)).replace(/\s+/g, ' ').replace(DIALECT_DE, '的').trim();
}
