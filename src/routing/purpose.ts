import type { Analysis } from './analyse.js';
import { frameWords, PURPOSES, type FrameWords, type Purpose } from './frame-words.js';
import type { Finding, Frame, FrameReading } from './frames.js';

/**
 * Messages that ask for no assistance: thanks for help already given, a word about the line or its staff (占线,
 * 态度不好), an offer to give or take part (捐书, 当志愿者, 合作), jobs an organisation offers (招人). A category word
 * in them names what was given or who would receive ("谢谢你们上回送的米和油", "给困难家庭捐书"), not a need of the
 * sender's.
 *
 * Said only when nothing else is told: no danger read (but a thanks that is no farewell), no request, and every category word
 * inside a purpose clause or in one told as past or resolved. Anything more, and the message is a need as before: a
 * thank-you with a new request is a request. The categories stay: they say whom the message concerns (the agency
 * thanked, the one an offer is for). A message flagged urgent is never read so (classify.ts).
 */
export type NoNeed = { purpose: Purpose; reason: string };

const REASON: Record<Purpose, string> = {
  thanks: '未提出救助需求：致谢',
  service: '未提出救助需求：对热线或工作人员的意见',
  offer: '未提出救助需求：提供捐助、合作或报名参加活动',
  hiring: '未提出救助需求：单位提供工作岗位',
};

/** The cue group of words naming the sender as an organisation (我们公司, 我们学校): data/routing/frames.json. */
const ORGANISATION = 'organisation';

/** The frame a text position falls in. */
const frameAt = (frames: readonly Frame[], at: number): Frame | undefined => frames.find((f) => at >= f.start && at < f.end);

export function noNeed(analysis: Analysis, reading: FrameReading, words: FrameWords = frameWords()): NoNeed | undefined {
  const { frames, findings } = reading;
  // Any danger read, holding or doubtful, is a need, but for a thanks word that would be a farewell only beside words
  // of parting ("谢谢你们" with "以后不麻烦你们了") and has none: that one is asked about beside this reading.
  const purposeWord = (word: string): boolean => PURPOSES.some((p) => words.file.purpose[p].includes(word));
  const parting = (f: Finding): boolean => (f.mention.cue?.needs ?? []).some((n) => n.startsWith('cue:') && reading.groups.has(n.slice(4)));
  const thanksAlone = (f: Finding): boolean => f.reading === 'doubtful' && purposeWord(f.mention.word) && f.mention.cue !== undefined && !parting(f);
  if (findings.some((f) => f.reading !== 'dropped' && !thanksAlone(f))) return undefined;
  const organisation = reading.groups.has(ORGANISATION);
  // Hiring words are an organisation's offer; said by anyone else they are a job seeker asking (公益岗位还招人吗).
  const said = (f: Frame): Purpose[] => f.purposes.filter((p) => p !== 'hiring' || organisation);
  const purposes = frames.flatMap(said);
  const first = purposes[0];
  if (!first) return undefined;
  const offer = purposes.find((p) => p === 'offer' || p === 'hiring');
  // A request is a need (能不能帮俺, 想找个活), unless it asks leave to give, in the clause of the offer (能不能捐点东西),
  // or is told as past (上个月你们帮俺家申请的…: help asked for and given).
  const over = (f: Frame): boolean => f.time.past || f.time.resolved;
  if (frames.some((f) => f.modality.has('request') && !over(f) && !(offer && said(f).includes(offer)))) return undefined;
  // So is a category word told outside the purpose's own clauses and not as past: a thank-you with a new need. An
  // organisation's offer may name whom it would serve (给低保户, 五保老人) but not a hardship (员工得了大病: a need).
  const namesWhom = offer !== undefined && organisation;
  for (const hit of analysis.hits) {
    if (hit.polarity === 'negated') continue;
    const frame = frameAt(frames, hit.start);
    if (!frame || said(frame).length > 0 || over(frame)) continue;
    if (namesWhom && hit.term.hardship === 0) continue;
    return undefined;
  }
  const purpose = offer ?? first;
  return { purpose, reason: REASON[purpose] };
}

