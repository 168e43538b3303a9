import { maskIdNumber, maskPhone } from '../../domain/masking.js';
import type { Reply } from '../../domain/messages.js';
import { nationalPhone } from '../answers.js';
import { placeText, townshipName } from '../format.js';
import { KEYPAD, ONE_KEY, STEP_LABELS } from '../prompts.js';
import type { DialogState, Relation, Step } from '../state.js';
import { FINAL_SAFETY_QUESTION, SAFETY_QUESTION } from '../safety.js';
import type { Turn } from '../flow-turn.js';
import { NAME_MISMATCH_QUESTION } from './identity-check.js';

/** The application form (服务办理单): its items, how each is asked, and how it is read back. */

const ORDER = ['reason', 'name', 'idNumber', 'householdSize', 'place', 'phone', 'relation', 'consent'] as const satisfies readonly Step[];
export type Item = (typeof ORDER)[number];

function filled(s: DialogState, item: Item): boolean {
  switch (item) {
    case 'place':
      return !!s.slots.townshipCode && !!(s.slots.villageCode || s.slots.address);
    case 'relation':
      return !!s.relation;
    case 'consent':
      return !!s.consent;
    default:
      return s.slots[item] !== undefined;
  }
}

/** Items not answered, skipped ones included: what staff still have to collect. */
export function unfilled(s: DialogState): Item[] {
  return ORDER.filter((item) => !filled(s, item));
}

/** Items still to ask, in order. */
export function missing(s: DialogState): Item[] {
  return unfilled(s).filter((item) => !s.skipped.includes(item));
}

/** The question to ask now. */
export function nextStep(t: Turn): Step {
  if (t.s.safety.pending) return 'safety';
  const next = missing(t.s)[0];
  // Before the read-back, once: danger told only when asked ("老伴今早胸口疼起不来") must not wait for the case.
  if (next === undefined) return t.s.safety.asked || t.s.safety.flagged ? 'summary' : 'safety';
  // Offer the number the caller is using before asking them to type one; once declined, ask.
  if (next === 'phone' && t.ctx.callerPhone && t.s.step !== 'phone') return 'phone_confirm';
  return next;
}

const RELATION_TEXT: Record<Relation, string> = {
  本人: '本人申请',
  家属: '家属代为申请',
  村干部: '村干部代为申请',
  邻居: '邻居代为申请',
  其他: '他人代为申请',
};

const CONSENT_TEXT =
  '为了核实家庭经济状况，需要您授权民政部门依法查询申请人家庭成员的收入、存款、房产、车辆等信息，只用于这次救助审核。您同意吗？请回复"同意"或"不同意"。';

/** One read-back line per item; IDs and phones only ever masked. */
export function line(t: Turn, item: Item): string {
  const s = t.s;
  const value = (): string | undefined => {
    switch (item) {
      case 'reason':
        return s.slots.reason;
      case 'name':
        return s.slots.name;
      case 'idNumber':
        return s.slots.idNumber === undefined ? undefined : maskIdNumber(s.slots.idNumber);
      case 'householdSize':
        return s.slots.householdSize === undefined ? undefined : `${s.slots.householdSize}人`;
      case 'place':
        return placeText(t.ctx.directory, s.slots) || undefined;
      case 'phone':
        return s.slots.phone === undefined ? undefined : maskPhone(s.slots.phone);
      case 'relation':
        return s.relation === undefined ? undefined : RELATION_TEXT[s.relation];
      case 'consent':
        return s.consent === undefined ? undefined : s.consent.given ? '同意' : '不同意';
    }
  };
  return `${item === 'relation' ? '申请方式' : STEP_LABELS[item]}：${value() ?? '（跳过，工作人员回电补充）'}`;
}

function summary(t: Turn): Reply {
  const lines = (['name', 'idNumber', 'householdSize', 'place', 'phone', 'relation', 'reason', 'consent'] as const).map((i) => line(t, i));
  return {
    text: `请核对您的申请：\n${lines.join('\n')}\n无误请回复"对"；有错直接告诉我，比如"不对，是四口人"。`,
    speech: `请核对：${lines.join('，')}。没问题请按1，有错请直接说哪里不对。`,
    expect: { kind: 'any', maxDigits: 1, keypadHint: '没问题请按1' },
  };
}

export function question(t: Turn, step: Step): Reply {
  const s = t.s;
  switch (step) {
    case 'reason':
      return { text: '请简单说说家里遇到了什么困难，想申请什么帮助？' };
    case 'name':
      return { text: '请问申请人叫什么名字？' };
    case 'idNumber':
      return { text: '请告诉我申请人的身份证号（18位）。', expect: { kind: 'any', keypadHint: KEYPAD.idNumber, finishOnKey: '#' } };
    case 'householdSize':
      return { text: '家里一共几口人（户口本上一起生活的）？', expect: { kind: 'any', maxDigits: 2, finishOnKey: '#' } };
    case 'place': {
      const township = townshipName(t.ctx.directory, s.slots.townshipCode);
      return township
        ? { text: `住在${township}哪个村（社区）？也可以说详细地址。` }
        : { text: '请问住在哪个镇（街道）、哪个村（社区）？比如"枣园镇东鲁村"。' };
    }
    case 'phone_confirm': {
      const masked = maskPhone(nationalPhone(t.ctx.callerPhone ?? ''));
      return {
        text: `是否用您现在这个号码 ${masked} 联系？请回复"是"，或直接输入其他号码。`,
        expect: { kind: 'any', keypadHint: '是请按1，换号码请直接输入新号码，输完按井号键', finishOnKey: '#' },
      };
    }
    case 'phone':
      return { text: '请告诉我联系电话（手机号11位，座机请加区号）。', expect: { kind: 'any', keypadHint: KEYPAD.phone, finishOnKey: '#' } };
    case 'relation':
      return {
        text: '您是为自己申请，还是替别人申请？请回复：1 本人；2 家属；3 村干部；4 邻居；5 其他。',
        speech: '为自己申请请按1，替家属申请请按2，村干部代办请按3，邻居代办请按4，其他请按5。',
        expect: ONE_KEY,
      };
    case 'consent':
      return {
        text: CONSENT_TEXT,
        speech: '为了核实家庭经济状况，需要您授权查询家庭成员的收入、存款、房产、车辆等信息，只用于这次救助审核。您同意吗？',
        expect: { kind: 'any', maxDigits: 1, keypadHint: KEYPAD.consent },
      };
    case 'identity_check':
      return { ...NAME_MISMATCH_QUESTION };
    case 'summary':
      return summary(t);
    case 'safety':
      return s.safety.pending ? { ...SAFETY_QUESTION } : { ...FINAL_SAFETY_QUESTION };
    default:
      throw new Error(`application has no step ${step}`);
  }
}
