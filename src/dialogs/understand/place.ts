import type { CountyDirectory, Township, Village } from '../../directory/schema.js';
import { splitClauses } from './clauses.js';
import { normalizeUtterance } from './normalize.js';
import { placeIndex, TOWNSHIP_SUFFIX, VILLAGE_SUFFIX, type PlaceCandidate, type PlaceIndex } from './place-index.js';
import { soundsOf } from './sound.js';
import { MASK } from './span.js';

export type PlaceMatch = {
  township?: { code: string; name: string };
  village?: { code: string; name: string };
  /** The free-text address remainder the resident gave (e.g. "东鲁村3组12号"). */
  address?: string;
};

type Hit = {
  start: number;
  end: number;
  kind: 'township' | 'village';
  candidates: PlaceCandidate[];
  /** A full name, or a short name with its 镇/村 suffix: no doubt a place was meant. */
  explicit: boolean;
  negated: boolean;
  /** Matched by sound, not by characters: kept only when said as a place. */
  bySound?: boolean;
};

/** "兰山区" is the county, not 兰山街道: a name followed by a higher-level unit is not ours. */
const HIGHER_LEVEL = /^[区县市省]/;
/** "不是枣园的，是半程的": the first name is being denied. */
const DENIED = /不(?:是|在|住|属于)在?$/;
/** "东鲁那边", "住在东鲁": a short village name said as a place. */
const LOCATIVES = '那边|这边|那里|这里|那儿|这儿|附近|一带|那块|这块|那片';
const LOCATIVE_AFTER = new RegExp(`^(?:${LOCATIVES})`);
const PLACE_TAIL = new RegExp(`^(?:${LOCATIVES})?的?`);
const DWELLING_BEFORE = /(?:住|住在|家在)$/;
/** What is left of "我是东鲁的" or "在东鲁那边" once the place is taken out (and text other slots took). */
const FILLER_CHARS = new RegExp(`[我们俺咱家是在住的那这边里儿块片附近一带就呢啊呀吧哈嗯哦\\s${MASK}]`, 'g');
/** House detail after a place name: "3组12号", "第二排5号", "幸福路8号", "3号楼2单元401室". */
const NUMBERED = '第?[0-9零〇一二两三四五六七八九十百]+(?:号楼|组|号|排|栋|幢|楼|单元|室|层|户)';
const ADDRESS_DETAIL = new RegExp(`^(?:${NUMBERED}|[\\u4e00-\\u9fff]{1,6}?(?:大街|路|街|巷|胡同|小区|花园|家园|公寓)(?=${NUMBERED}))+`);
/** An address given with a label when no known place name is in it. */
const LABELLED_ADDRESS = /(?:地址|住址)(?:是|为|在)?[：:]?\s*([^，。！？；,;!?]+)/;

function classify(text: string, start: number, end: number, candidates: PlaceCandidate[]): Hit | undefined {
  const after = text.slice(end);
  if (HIGHER_LEVEL.test(after)) return undefined;
  const negated = DENIED.test(text.slice(Math.max(0, start - 4), start));
  const townships = candidates.filter((c) => !c.village);
  const villages = candidates.filter((c) => c.village);

  const townshipSuffix = TOWNSHIP_SUFFIX.exec(after)?.[0];
  if (townshipSuffix && townships.length > 0) {
    return { start, end: end + townshipSuffix.length, kind: 'township', candidates: townships, explicit: true, negated };
  }
  const villageSuffix = VILLAGE_SUFFIX.exec(after)?.[0];
  if (villageSuffix && villages.length > 0) {
    return { start, end: end + villageSuffix.length, kind: 'village', candidates: villages, explicit: true, negated };
  }
  const full = candidates.filter((c) => c.fullName);
  // A bare short name shared by a township and its seat village ("枣园") means the township.
  const chosen = full.length > 0 ? full : townships.length > 0 ? townships : villages;
  const kind = chosen.some((c) => c.village) ? 'village' : 'township';
  return { start, end, kind, candidates: chosen, explicit: full.length > 0, negated };
}

/**
 * Place names in text, longest first at each position, never overlapping. Where the characters
 * name no place, the sounds may (a recogniser's homophone); such a hit must be said as a place, or
 * come with one of its own villages or its own township beside it ("半城 河庄": 半程镇河庄村). The county's own
 * name said short is the county, unless a village of the township of that name comes with it.
 */
function scan(text: string, index: PlaceIndex): Hit[] {
  const hits: Hit[] = [];
  const unconfirmed: Hit[] = [];
  let sounds: string[] | undefined;
  const lookup = (i: number, len: number): { candidates: PlaceCandidate[]; bySound: boolean } | undefined => {
    const exact = index.byText.get(text.slice(i, i + len));
    if (exact) return { candidates: exact, bySound: false };
    sounds ??= soundsOf(text);
    const heard = index.bySound.get(sounds.slice(i, i + len).join(' '));
    return heard && { candidates: heard, bySound: true };
  };
  let i = 0;
  while (i < text.length) {
    let length = 0;
    for (let len = Math.min(index.longest, text.length - i); len >= index.shortest && length === 0; len--) {
      const found = lookup(i, len);
      if (!found) continue;
      length = len;
      const hit = classify(text, i, i + len, found.candidates);
      // "兰山" in 兰山区's hotline is the county: its township (兰山街道) must be said with 街道, or with one of its villages.
      const countyWord = text.slice(i, i + len) === index.countyShort;
      if (hit && (hit.explicit || (!countyWord && (!found.bySound || saidAsPlace(text, hit))))) {
        hits.push({ ...hit, bySound: found.bySound });
        length = hit.end - i;
      } else if (hit) unconfirmed.push({ ...hit, bySound: true });
    }
    i += Math.max(length, 1);
  }
  const all = [...hits, ...unconfirmed];
  for (const hit of unconfirmed) if (all.some((other) => pairedWith(hit, other))) hits.push(hit);
  return hits.sort((a, b) => a.start - b.start);
}

/** A township named right before one of its own villages (a space or a character between at most). */
const PAIR_GAP = 2;

function pairedWith(hit: Hit, other: Hit): boolean {
  const [first, second] = hit.start < other.start ? [hit, other] : [other, hit];
  if (first.kind !== 'township' || second.kind !== 'village') return false;
  if (second.start < first.end || second.start - first.end > PAIR_GAP) return false;
  return second.candidates.some((v) => first.candidates.some((t) => t.township === v.township));
}

/** A short village name alone ("西安", "湖北", "张家") is also an ordinary word; accept it only when said as a place. */
function saidAsPlace(text: string, hit: Hit): boolean {
  if (LOCATIVE_AFTER.test(text.slice(hit.end)) || DWELLING_BEFORE.test(text.slice(0, hit.start))) return true;
  const clause = splitClauses(text).find((c) => c.start <= hit.start && hit.end <= c.start + c.text.length);
  if (!clause) return false;
  const rest = clause.text.slice(0, hit.start - clause.start) + clause.text.slice(hit.end - clause.start);
  return rest.replace(FILLER_CHARS, '') === '';
}

/**
 * Words that take back a place just said, or say the household moved from it ("东鲁村，哦不对，是西鲁村", "原来在东鲁村，
 * 去年搬到西鲁村了"): a place of the same kind after them stands instead.
 */
const TAKEN_BACK = /不对|说错|错了|应该是|改成|更正|搬到|搬去|搬过来|搬家到|迁到|迁过来|迁过去/;

/** Of places of one kind in order, the one said last after a taking back, else the first. */
function standing<T extends { hit: Hit }>(text: string, said: T[]): T | undefined {
  let chosen = said[0];
  for (const next of said.slice(1)) {
    if (chosen && TAKEN_BACK.test(text.slice(chosen.hit.end, next.hit.start))) chosen = next;
  }
  return chosen;
}

function pickVillage(text: string, hits: Hit[], township: Township | undefined): { hit: Hit; village: Village; township: Township } | undefined {
  const found: { hit: Hit; village: Village; township: Township }[] = [];
  for (const hit of hits) {
    if (hit.kind !== 'village' || hit.negated) continue;
    const options = township ? hit.candidates.filter((c) => c.township === township) : hit.candidates;
    const first = options[0];
    if (!first?.village) continue;
    // Within the named township a short name is enough; alone it must be said as a place.
    if (!township && !hit.explicit && !saidAsPlace(text, hit)) continue;
    // The same short name in two townships, and nothing to tell them apart.
    if (options.some((o) => o.township !== first.township)) continue;
    found.push({ hit, village: first.village, township: first.township });
  }
  return standing(text, found);
}

export type LocatedPlace = { match: PlaceMatch; spans: { start: number; end: number }[] };

export function locatePlace(text: string, directory: CountyDirectory): LocatedPlace {
  const hits = scan(text, placeIndex(directory));
  const townshipHit = standing(
    text,
    hits.filter((h) => h.kind === 'township' && !h.negated).map((hit) => ({ hit })),
  )?.hit;
  const named = townshipHit?.candidates[0]?.township;
  const village = pickVillage(text, hits, named);
  const township = named ?? village?.township;
  const anchor = village?.hit ?? townshipHit;

  const match: PlaceMatch = {};
  if (township) match.township = { code: township.code, name: township.name };
  if (village) match.village = { code: village.village.code, name: village.village.name };
  // "李官那边的" is all place talk: mask the tail too, so it does not end up in the reason.
  const spans = [townshipHit, village?.hit]
    .filter((h): h is Hit => h !== undefined)
    .map((h) => ({ start: h.start, end: h.end + (PLACE_TAIL.exec(text.slice(h.end))?.[0].length ?? 0) }));

  if (anchor) {
    const detail = ADDRESS_DETAIL.exec(text.slice(anchor.end))?.[0];
    if (detail) {
      match.address = text.slice(anchor.start, anchor.end + detail.length);
      spans.push({ start: anchor.start, end: anchor.end + detail.length });
    }
  } else {
    const labelled = LABELLED_ADDRESS.exec(text);
    if (labelled?.[1]) {
      match.address = labelled[1].trim();
      spans.push({ start: labelled.index, end: labelled.index + labelled[0].length });
    }
  }
  return { match, spans };
}

export function matchPlace(text: string, directory: CountyDirectory): PlaceMatch {
  return locatePlace(normalizeUtterance(text), directory).match;
}
