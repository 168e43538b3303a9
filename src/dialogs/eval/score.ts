import type { Conversation } from './conversation-file.js';
import type { Played } from './play.js';

/** What staff can see after the conversation: the case read back in full (audited), and the duty flags. */
export type Outcome = {
  /** The case opened by the conversation, as the staff API's full view returns it. */
  case?: {
    type: string;
    categories: string[];
    urgent: boolean;
    applicant: {
      name: string | null;
      idNumber: string | null;
      phone: string | null;
      householdSize: number | null;
      township: string | null;
      village: string | null;
      relation: string | null;
    };
    consent: { given: boolean | null };
  };
  /** An urgent duty task or an urgent case came out of the conversation. */
  flaggedUrgent: boolean;
  /** The conversation ended with a person (asked for, or handed over). */
  withPerson: boolean;
  /** Progress: the bot answered with the case's status. */
  progressAnswered: boolean;
};

export type FieldCheck = { field: string; expected: unknown; got: unknown; right: boolean };

export type Scored = {
  id: string;
  style?: string;
  flow: Conversation['expect']['flow'];
  captured: boolean;
  fields: FieldCheck[];
  urgentExpected: boolean;
  urgentFlagged: boolean;
  residentTurns: number;
  maxRepeats: number;
  why?: string;
};

function fieldChecks(c: Conversation, o: Outcome): FieldCheck[] {
  const a = o.case?.applicant;
  const got: Record<string, unknown> = {
    name: a?.name ?? null,
    idNumber: a?.idNumber ?? null,
    householdSize: a?.householdSize ?? null,
    township: a?.township ?? null,
    village: a?.village ?? null,
    phone: a?.phone ?? null,
    relation: a?.relation ?? null,
    consent: o.case?.consent.given ?? null,
  };
  return Object.entries(c.expect.fields)
    .filter(([, v]) => v !== undefined)
    .map(([field, expected]) => ({ field, expected, got: got[field], right: (expected ?? null) === (got[field] ?? null) }));
}

/** One conversation: captured means the bot did what the resident came for with every expected field right. */
export function score(c: Conversation, played: Played, o: Outcome): Scored {
  const fields = fieldChecks(c, o);
  const wrong = fields.filter((f) => !f.right);
  const base = {
    id: c.id,
    style: c.style,
    flow: c.expect.flow,
    fields,
    urgentExpected: c.expect.urgent,
    urgentFlagged: o.flaggedUrgent,
    residentTurns: played.residentTurns,
    maxRepeats: played.maxRepeats,
  };
  const fail = (why: string): Scored => ({ ...base, captured: false, why });
  if (c.expect.urgent && !o.flaggedUrgent) return fail('紧急情况没有报给值班人员');
  switch (c.expect.flow) {
    case 'human':
      return o.withPerson ? { ...base, captured: true } : fail('没有转给工作人员');
    case 'progress':
      return o.progressAnswered ? { ...base, captured: true } : fail('没有答复办理进度');
    default:
      if (!o.case) return fail(played.stopped ?? (o.withPerson ? '转人工，没有立案' : '没有立案'));
      if (o.case.type !== c.expect.flow) return fail(`立案类型是${o.case.type}`);
      if (wrong.length > 0) return fail(wrong.map((f) => `${f.field}: 应为${String(f.expected)}，实为${String(f.got)}`).join('；'));
      return { ...base, captured: true };
  }
}

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export type Summary = {
  conversations: number;
  captured: number;
  fieldsRight: number;
  fieldsTotal: number;
  /** Resident messages in captured applications. */
  medianTurns: number;
  maxRepeats: number;
  urgentExpected: number;
  urgentFlagged: number;
  falseAlarms: number;
};

export function summarise(all: Scored[]): Summary {
  const fields = all.flatMap((s) => s.fields);
  return {
    conversations: all.length,
    captured: all.filter((s) => s.captured).length,
    fieldsRight: fields.filter((f) => f.right).length,
    fieldsTotal: fields.length,
    medianTurns: median(all.filter((s) => s.captured && s.flow === 'application').map((s) => s.residentTurns)),
    maxRepeats: Math.max(0, ...all.map((s) => s.maxRepeats)),
    urgentExpected: all.filter((s) => s.urgentExpected).length,
    urgentFlagged: all.filter((s) => s.urgentExpected && s.urgentFlagged).length,
    falseAlarms: all.filter((s) => !s.urgentExpected && s.urgentFlagged).length,
  };
}

/** The aim: no prompt sent word for word more than twice in one conversation. */
export const MAX_REPEATS = 2;

/** Per style, the failures with their reasons, and the machine-readable last line. */
export function formatDialogReport(all: Scored[]): string {
  const out: string[] = [];
  const styles = [...new Set(all.map((s) => s.style ?? '-'))].sort();
  if (styles.length > 1) {
    out.push('style                      n  captured');
    for (const st of styles) {
      const xs = all.filter((s) => (s.style ?? '-') === st);
      out.push(`${st.padEnd(24)} ${String(xs.length).padStart(3)}  ${(xs.filter((s) => s.captured).length / xs.length).toFixed(2)}`);
    }
  }
  const failedFields = new Map<string, number>();
  for (const f of all.flatMap((s) => s.fields)) if (!f.right) failedFields.set(f.field, (failedFields.get(f.field) ?? 0) + 1);
  if (failedFields.size > 0) out.push(`wrong fields: ${[...failedFields].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ')}`);
  for (const s of all.filter((x) => !x.captured)) out.push(`✗ ${s.id} [${s.style ?? '-'}] ${s.why ?? ''}`);
  for (const s of all.filter((x) => x.maxRepeats > MAX_REPEATS)) out.push(`↻ ${s.id} [${s.style ?? '-'}] 同一句问了${s.maxRepeats}遍`);
  const m = summarise(all);
  out.push(`urgent_reached=${m.urgentFlagged}/${m.urgentExpected} false_alarms=${m.falseAlarms}`);
  out.push(
    `conversations=${m.conversations} captured=${m.captured} fields_right=${m.fieldsRight}/${m.fieldsTotal} median_turns=${m.medianTurns} max_repeats=${m.maxRepeats}`,
  );
  return out.join('\n');
}
