import { pinyin } from 'pinyin-pro';
import { normalizeText } from '../normalize.js';

/**
 * Features of a text for the learned router: character 1–3-grams of the normalised text
 * (simplified, half-width), and toneless pinyin 1–2-grams. The pinyin grams are what make
 * a recogniser's homophones (地保/低保, 蚕鸡/残疾) look alike to the model.
 */

/** Long stories are cut: the features of 600 characters are enough, and the cost stays bounded. */
const MAX_CHARS = 600;
const HAN = /\p{Script=Han}/u;

export function features(raw: string): string[] {
  const text = normalizeText(raw.slice(0, MAX_CHARS)).replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
  const out = new Set<string>();
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const a = chars[i] as string;
    if (a === ' ') continue;
    out.add(`c${a}`);
    const b = chars[i + 1];
    if (b === undefined || b === ' ') continue;
    out.add(`c${a}${b}`);
    const c = chars[i + 2];
    if (c !== undefined && c !== ' ') out.add(`c${a}${b}${c}`);
  }
  const han = chars.filter((ch) => HAN.test(ch)).join('');
  if (han.length > 0) {
    const syllables = pinyin(han, { toneType: 'none', type: 'array' });
    for (let i = 0; i < syllables.length; i++) {
      out.add(`p${syllables[i]}`);
      if (i + 1 < syllables.length) out.add(`p${syllables[i]}_${syllables[i + 1]}`);
    }
  }
  return [...out];
}
