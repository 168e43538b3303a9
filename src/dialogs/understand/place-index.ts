import type { CountyDirectory, Township, Village } from '../../directory/schema.js';
import { normalizeUtterance } from './normalize.js';
import { soundsOf } from './sound.js';

/** What a piece of text can name: a township, or a village (always with its township). */
export type PlaceCandidate = { township: Township; village?: Village; fullName: boolean };

export type PlaceIndex = {
  byText: Map<string, PlaceCandidate[]>;
  /** The same names by sound, for recogniser homophones ("早园" for 枣园). */
  bySound: Map<string, PlaceCandidate[]>;
  longest: number;
  shortest: number;
  /** The county's own name said short ("兰山" of 临沂市兰山区): a township of that name is meant only when said so. */
  countyShort?: string;
};

const TOWNSHIP_SUFFIXES = ['街道办事处', '街道办', '街道', '街办', '办事处', '镇', '乡'];
const VILLAGE_SUFFIXES = ['村民委员会', '居民委员会', '村委会', '居委会', '社区', '村'];
export const TOWNSHIP_SUFFIX = new RegExp(`^(?:${TOWNSHIP_SUFFIXES.join('|')})`);
export const VILLAGE_SUFFIX = new RegExp(`^(?:${VILLAGE_SUFFIXES.join('|')})`);

/** "临沂市兰山区" → "兰山": what residents call their county. */
function countyShortName(name: string): string | undefined {
  const own = name.slice(name.lastIndexOf('市', name.length - 2) + 1);
  const short = own.replace(/(?:自治县|县|区|市|旗)$/, '');
  return short.length >= 2 && short !== own ? normalizeUtterance(short) : undefined;
}

/** "枣园镇" → "枣园", so a county file without aliases still matches the short form residents say. */
function shortForm(name: string, suffixes: string[]): string | undefined {
  const suffix = suffixes.find((s) => name.endsWith(s));
  const short = suffix && name.slice(0, -suffix.length);
  return short && short.length >= 2 ? short : undefined;
}

function build(directory: CountyDirectory): PlaceIndex {
  const byText = new Map<string, PlaceCandidate[]>();
  const bySound = new Map<string, PlaceCandidate[]>();
  const put = (map: Map<string, PlaceCandidate[]>, key: string, candidate: PlaceCandidate) => {
    const list = map.get(key) ?? [];
    if (!list.some((c) => c.township === candidate.township && c.village === candidate.village)) list.push(candidate);
    map.set(key, list);
  };
  const add = (text: string | undefined, candidate: PlaceCandidate) => {
    if (!text) return;
    const key = normalizeUtterance(text);
    put(byText, key, candidate);
    put(bySound, soundsOf(key).join(' '), candidate);
  };
  for (const township of directory.townships) {
    add(township.name, { township, fullName: true });
    for (const alias of [...township.aliases, shortForm(township.name, TOWNSHIP_SUFFIXES)]) add(alias, { township, fullName: false });
    for (const village of township.villages) {
      add(village.name, { township, village, fullName: true });
      for (const alias of [...village.aliases, shortForm(village.name, VILLAGE_SUFFIXES)]) {
        add(alias, { township, village, fullName: false });
      }
    }
  }
  const lengths = [...byText.keys()].map((k) => k.length);
  const countyShort = countyShortName(directory.county.name);
  return { byText, bySound, longest: Math.max(...lengths), shortest: Math.min(...lengths), countyShort };
}

const cache = new WeakMap<CountyDirectory, PlaceIndex>();

/** The place index of a directory, built on first use and kept as long as the directory object lives. */
export function placeIndex(directory: CountyDirectory): PlaceIndex {
  let index = cache.get(directory);
  if (!index) {
    index = build(directory);
    cache.set(directory, index);
  }
  return index;
}
