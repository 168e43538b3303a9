import type { Reply } from '../../domain/messages.js';
import { nationalPhone, readTrackingNumber, yesNo } from '../answers.js';
import { dateText } from '../format.js';
import { KEYPAD } from '../prompts.js';
import { failed } from '../retry.js';
import type { ProgressCase, Step } from '../state.js';
import { say, type FlowHandler, type Turn } from '../flow-turn.js';
import { extractPhone, findIdNumber } from '../understand/index.js';

/** Progress enquiry: by tracking number, or by phone plus the last four ID characters. */

const QUESTIONS: Partial<Record<Step, Reply>> = {
  progress_key: {
    text: '请告诉我承办编号（短信或回执上的12位数字，比如2612 0734 5163）。没有编号请回复"没有"，我们用手机号和身份证后四位帮您查。',
    expect: { kind: 'any', keypadHint: KEYPAD.trackingNumber, finishOnKey: '#' },
  },
  progress_phone: { text: '请告诉我申请时留的手机号。', expect: { kind: 'any', keypadHint: KEYPAD.phone, finishOnKey: '#' } },
  progress_last4: { text: '请告诉我申请人身份证号的最后四位。', expect: { kind: 'any', keypadHint: KEYPAD.last4, finishOnKey: '#' } },
};

function ask(t: Turn, step: Step): void {
  t.s.step = step;
  const q = QUESTIONS[step];
  if (q) t.replies.push({ ...q });
}

/** The check digit caught a slip: said before anything is looked up, so a typo neither misses nor counts as a guess. */
const MISTYPED = '这个编号核对不上，可能有一位数字输错了，或者两位前后颠倒了。请对照短信或回执再说一遍。';

function lookup(t: Turn, query: { trackingNumber?: string; phone?: string; idLast4?: string }): void {
  t.effects.push({ type: 'lookup_progress', ...query });
  t.s.pendingEffect = { type: 'lookup_progress' };
  say(t, '正在为您查询，请稍候。');
}

/** The number to search by: the one typed in this flow, else the one calling. */
function phoneOf(t: Turn): string | undefined {
  return t.s.progressQuery.phone ?? (t.ctx.callerPhone ? nationalPhone(t.ctx.callerPhone) : undefined);
}

function last4In(text: string): string | undefined {
  const id = findIdNumber(text);
  if (id?.ok) return id.value.slice(-4);
  return /^\d{3}[\dX]$/i.exec(text.replace(/\s/g, ''))?.[0].toUpperCase();
}

export const progress: FlowHandler & { onResult: (t: Turn, cases: ProgressCase[]) => void } = {
  enter(t, said) {
    const reading = said && readTrackingNumber(said.text);
    if (reading?.kind === 'number') return lookup(t, { trackingNumber: reading.value });
    if (reading?.kind === 'mistyped') say(t, MISTYPED);
    ask(t, 'progress_key');
  },

  onMessage(t, said) {
    const text = said.text;
    const fail = (why: string) => failed(t, said, why, () => progress.advance(t), { canSkip: false });
    switch (t.s.step) {
      case 'progress_key': {
        const reading = readTrackingNumber(text);
        if (reading?.kind === 'number') return lookup(t, { trackingNumber: reading.value });
        if (reading?.kind === 'mistyped') return fail(MISTYPED);
        if (yesNo(text) === false || /忘|不知道|记不清|找不到/.test(text)) return ask(t, phoneOf(t) ? 'progress_last4' : 'progress_phone');
        return fail('没有认出编号。编号是12位数字，前6位是登记日期（年月日），比如2612 0734 5163。');
      }
      case 'progress_phone': {
        const phone = extractPhone(text);
        if (!phone) return fail('号码好像不对：手机号是11位数字。');
        t.s.progressQuery.phone = phone;
        return ask(t, 'progress_last4');
      }
      case 'progress_last4': {
        const idLast4 = last4In(text);
        if (!idLast4) return fail('请输入身份证号最后四位，最后一位是X的请说"X"。');
        return lookup(t, { phone: phoneOf(t), idLast4 });
      }
      default:
        return progress.advance(t);
    }
  },

  advance(t) {
    ask(t, t.s.step && QUESTIONS[t.s.step] ? t.s.step : 'progress_key');
  },

  onResult(t, cases) {
    if (cases.length === 0) {
      // Stay in the flow: the resident may try another number, or ask for a person.
      say(t, '没有查到您的申请记录。可以换个编号再查；需要工作人员帮您查，请回复0转人工。');
      return ask(t, 'progress_key');
    }
    t.s.flow = 'closed';
    t.s.step = undefined;
    const lines = cases.map((c) => `承办编号${c.trackingNumber}：${c.statusText}${c.nextDate ? `，预计${dateText(c.nextDate)}前有下一步结果` : ''}。`);
    say(t, `${lines.join('\n')}\n还有其他问题请回复0转人工，或拨打${t.ctx.directory.county.window.hotline}。`, { hangup: true });
  },
};
