import { splitClauses } from './clauses.js';
import { hanLength } from './han.js';
import { MASK } from './span.js';

/** Words that mark a resident describing their need or hardship, across the assistance categories. */
const NEED_WORDS = [
  '申请', '低保', '五保', '特困', '救助', '救济', '补助', '补贴', '帮助', '帮扶', '帮帮', '帮忙', '求助', '困难',
  '没钱', '没有钱', '没饭', '吃不上', '看不起病', '看病', '治病', '生病', '病了', '得了', '住院', '手术', '医药费',
  '药费', '学费', '上学', '危房', '房子', '漏雨', '塌', '着火', '失火', '火灾', '烧了', '水灾', '淹', '受灾', '残疾',
  '瘫痪', '失业', '没工作', '没人管', '没人照顾', '孤儿', '供养', '养老', '想要', '需要', '希望', '怎么办',
];

/** Words that introduce a slot value already taken out ("…低保身份证□□□"): not part of the need. */
const SLOT_LABEL = /(?:身份证号码|身份证号|身份证|联系电话|电话号码|电话|手机号码|手机号|手机|座机|号码|住在|家住|住|地址|我叫|叫)[是为：:]?$/;
const MASKED = new RegExp(`${MASK}+`);

/**
 * The part of a message that describes the need, in the resident's own words: every clause
 * piece that mentions a need, with pieces already taken by other slots (name, ID, place…) left out.
 */
export function extractReason(maskedText: string): string | undefined {
  const pieces = unclaimedPieces(maskedText).filter((piece) => NEED_WORDS.some((w) => piece.includes(w)));
  return pieces.length > 0 ? pieces.join('，') : undefined;
}

/** Greetings and fillers that open a call and tell nothing. */
const FILLER = /^(?:喂|你好|您好|哎|唉|嗯|那个|就是|俺问一下|我问一下|问一下|请问)+$/;

/**
 * Everything a message says beyond its form answers: the account of what happened, told in any words
 * ("上礼拜大风把屋顶掀了"), with the pieces taken by other slots and the greetings left out.
 */
export function extractAccount(maskedText: string): string | undefined {
  // Short leftovers of a form answer ("家里" of "家里三口人", "过" of "一个人过") are no account.
  const pieces = unclaimedPieces(maskedText).filter(
    (piece) => !FILLER.test(piece.replace(/\s/g, '')) && (hanLength(piece) >= 4 || NEED_WORDS.some((w) => piece.includes(w))),
  );
  return pieces.length > 0 ? pieces.join('，') : undefined;
}

function unclaimedPieces(maskedText: string): string[] {
  return splitClauses(maskedText)
    .flatMap((clause) => clause.text.split(MASKED))
    .map((piece) => piece.trim().replace(/^[、和还也就]+/, '').replace(SLOT_LABEL, ''));
}
