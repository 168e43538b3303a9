import { FLOW_LABELS, STEP_LABELS } from '../prompts.js';
import { say, type Turn } from '../flow-turn.js';

/**
 * Hand the conversation to a duty officer. The flow and step stay in the state so
 * the officer can read where things stood and the bot can pick up when released.
 */
export function handOver(t: Turn, kind: 'asked_for_person' | 'stuck', why: string): void {
  const s = t.s;
  if (s.flow === 'handover') {
    say(t, '已经通知工作人员了，请稍候。');
    return;
  }
  const where = s.step ? `${FLOW_LABELS[s.flow]}，进行到"${STEP_LABELS[s.step]}"` : FLOW_LABELS[s.flow];
  // A conversation that already raised an urgent signal stays urgent when a person takes it.
  t.effects.push({ type: 'flag_duty', reason: `${why}（${where}）`, urgent: s.safety.flagged, kind });
  s.heldFlow = s.flow === 'closed' ? undefined : s.flow;
  s.flow = 'handover';
  const lead = kind === 'stuck' ? '看来不太顺利，我请工作人员来帮您。' : '好的，马上为您转人工。';
  say(t, `${lead}工作人员会接着和您联系；如果一时没人接，会尽快给您回电话。`, {
    speech: `${lead}正在为您转接工作人员，请稍候。`,
    dial: true,
  });
}
