import { say, type Said, type Turn } from './turn.js';

/**
 * Danger is answered at the first message that shows it, in whatever flow: tell the
 * caller who to ring now and flag a duty officer. Each line is said once per
 * conversation so a frightened caller is not told the same thing every turn.
 */

const LIFE_DANGER = '如有人受伤、被困或有生命危险，请立即拨打119（火警）、120（急救）或110（报警）。';
const MENTAL_HEALTH = '如果您心里很难受，可以拨打全国心理援助热线12356，有专人陪您说说话。';
const FLAGGED = '我们已通知值班人员优先处理。';

export interface Alarm {
  reason: string;
  lifeDanger: boolean;
  mentalHealth: boolean;
}

export function raiseAlarm(t: Turn, alarm: Alarm): void {
  const safety = t.s.safety;
  const tellLife = alarm.lifeDanger && !safety.lifeDangerTold;
  const tellMental = alarm.mentalHealth && !safety.mentalHealthTold;
  // A first sign of life danger is flagged again even if a milder signal was flagged before.
  const flag = !safety.flagged || tellLife;
  if (flag) {
    t.effects.push({ type: 'flag_duty', reason: alarm.reason, urgent: true, lifeDanger: alarm.lifeDanger, kind: 'urgent' });
  }
  const lines = [tellLife && LIFE_DANGER, tellMental && MENTAL_HEALTH, flag && FLAGGED].filter((l): l is string => !!l);
  if (lines.length > 0) say(t, lines.join(''));
  safety.flagged = true;
  safety.lifeDangerTold ||= alarm.lifeDanger;
  safety.mentalHealthTold ||= alarm.mentalHealth;
}

export function checkSafety(t: Turn, said: Said): void {
  const u = said.urgency;
  if (!u.urgent && !u.lifeDanger && !u.mentalHealth) return;
  raiseAlarm(t, { reason: u.reason ?? (u.signals.join('、') || '紧急信号'), lifeDanger: u.lifeDanger, mentalHealth: u.mentalHealth });
}
