import { pinyin } from 'pinyin-pro';

/**
 * How a syllable sounds to a speech recogniser hearing Shandong-accented Mandarin: toneless,
 * with retroflex and flat initials, n/l, and front/back nasals folded together. Two spellings
 * with the same sound (枣园/早园, 半程/半成, 西鲁/西路) get the same key.
 */
export function soundOf(syllable: string): string {
  return syllable
    .replace(/^zh/, 'z')
    .replace(/^ch/, 'c')
    .replace(/^sh/, 's')
    .replace(/^n/, 'l')
    .replace(/ng$/, 'n');
}

/** One sound key per character of the text (pinyin-pro keeps other characters one to an element). */
export function soundsOf(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array' }).map(soundOf);
}
