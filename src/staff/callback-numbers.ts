import { maskAddress } from '../privacy/personal-numbers.js';
import { DUTY_ROLES } from './access.js';
import type { StaffPrincipal } from './principal.js';

/**
 * The numbers staff can call a case's people back on: the contact phone on the case, the reporter's phone and the
 * affected people's contact from an emergency report, and the number the resident texted or called from. Masked in
 * every default view; in full only in the audited full view of a case (src/staff/case-full-view.ts). The number the
 * resident wrote from belongs to the conversation, which is the county's duty work: only duty officers and
 * supervisors see it (the same roles conversationScope lets read conversations).
 */

export type CallbackKind = 'applicant' | 'reporter' | 'affected' | 'caller';

export const CALLBACK_LABELS: Record<CallbackKind, string> = {
  applicant: '联系电话',
  reporter: '报告人电话',
  affected: '当事人联系方式',
  caller: '来电号码',
};

export type CallbackNumber = { kind: CallbackKind; label: string; number: string };

/** What of a case the numbers are read from. */
export type CallbackSource = {
  phone: string | null;
  emergency: unknown;
  conversation: { channel: string; identity: { address: string } } | null;
};

const digits = (n: string) => n.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
/** A phone as staff dial it: +8613812341234 → 13812341234. */
const national = (n: string) => n.trim().replace(/^\+86(?=1\d{10}$)/, '');
const isNumber = (n: string) => digits(n).length >= 7;

/** The case's callback numbers, each once, the contact phone first; masked unless `full`. */
export function callbackNumbers(staff: StaffPrincipal, c: CallbackSource, opts: { full: boolean }): CallbackNumber[] {
  const e = (c.emergency ?? {}) as { reporter?: { phone?: unknown }; contact?: unknown };
  const found: [CallbackKind, unknown][] = [
    ['applicant', c.phone],
    ['reporter', e.reporter?.phone],
    ['affected', e.contact],
    // Texted or called from: a phone; a WeCom or WeChat id is no number to call.
    ...((DUTY_ROLES.includes(staff.role) && (c.conversation?.channel === 'sms' || c.conversation?.channel === 'voice') ? [['caller', c.conversation.identity.address]] : []) as [CallbackKind, unknown][]),
  ];
  const seen = new Set<string>();
  const out: CallbackNumber[] = [];
  for (const [kind, value] of found) {
    if (typeof value !== 'string' || !isNumber(value) || seen.has(digits(value))) continue;
    seen.add(digits(value));
    out.push({ kind, label: CALLBACK_LABELS[kind], number: opts.full ? national(value) : maskAddress(national(value)) });
  }
  return out;
}
