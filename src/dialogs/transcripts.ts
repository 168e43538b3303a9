import type { Channel, Reply } from '../domain/messages.js';
import { trackingNumbers } from '../domain/tracking-number.js';
import type { DialogContext } from './context.js';
import type { Effect } from './effects.js';
import { step } from './engine.js';
import { renderFor } from './render.js';
import type { DialogInput, DialogState } from './state.js';

/**
 * Replays a conversation through `step`, answering effects the way the runner
 * would, with fake results. Used by the transcript tests and by `hotline sim`.
 */

/** Turn markers besides plain text. */
export const SILENCE = '[silence]';
export const STAFF_RELEASED = '[staff_released]';
/** `[keys]11010519491231002*#`: keypad entry on a call. */
export const KEYS = '[keys]';

/** A case the fake progress lookup can find. */
export interface FakeCase {
  trackingNumber: string;
  phone?: string | undefined;
  idNumber?: string | undefined;
  /** The applicant's name, for the fake identity check (a case with the same ID number under another name). */
  name?: string | undefined;
  statusText: string;
  nextDate?: string;
}

export interface TranscriptOptions {
  /** Continue this conversation, e.g. a call that dropped, now continued by SMS. */
  state?: DialogState;
  /** Time of the first turn; later turns follow 30 seconds apart. Defaults to ctx.now. */
  startAt?: Date;
  /** Replies as the channel renders them (default), or as the engine produced them. */
  render?: boolean;
  /** Cases the progress lookup finds besides those opened during the run. */
  existingCases?: FakeCase[];
  /** First daily sequence number of the tracking numbers issued as the service issues them (default 1). */
  firstSequence?: number;
}

export interface TranscriptTurn {
  said: string;
  replies: Reply[];
  effects: Effect[];
  state: DialogState;
}

export interface Transcript {
  turns: TranscriptTurn[];
  state: DialogState | undefined;
  /** Every case known to the fake lookup at the end, opened ones included. */
  cases: FakeCase[];
}

const TURN_GAP_MS = 30_000;

/** Numbers are issued as the service issues them, under a fixed key, so a replay's numbers are the same every run. */
export const transcriptTrackingNumbers = trackingNumbers(Buffer.alloc(32, 1));

export function runTranscript(ctx: DialogContext, channel: Channel, turns: string[], opts: TranscriptOptions = {}): Transcript {
  let state = opts.state;
  const cases = [...(opts.existingCases ?? [])];
  let sequence = opts.firstSequence ?? 1;
  const start = (opts.startAt ?? ctx.now).getTime();

  const fakeResult = (effect: Effect, now: Date): DialogInput | undefined => {
    if (effect.type === 'open_case') {
      const trackingNumber = effect.trackingNumber ?? transcriptTrackingNumbers.issue(localDate(now, ctx), sequence++);
      const { phone, idNumber, name } = effect.fields.applicant;
      const statusText = effect.complete ? '已受理，镇街正在入户核实' : '已登记，等待工作人员回电补充';
      const known = cases.find((c) => c.trackingNumber === trackingNumber);
      if (known) Object.assign(known, { phone, idNumber, name, statusText });
      else cases.push({ trackingNumber, phone, idNumber, name, statusText });
      return { kind: 'event', event: 'case_opened', trackingNumber, caseType: effect.caseType };
    }
    if (effect.type === 'check_identity') {
      // As the runner checks it: the names the number was given with before, other cases of this run included.
      const names = cases.filter((c) => c.idNumber === effect.idNumber && c.name).map((c) => c.name);
      const verdict = names.length === 0 ? 'new' : names.includes(effect.name) ? 'same_name' : 'other_name';
      return { kind: 'event', event: 'identity_checked', verdict };
    }
    if (effect.type === 'lookup_progress') {
      const found = cases.filter((c) =>
        effect.trackingNumber
          ? c.trackingNumber === effect.trackingNumber
          : c.phone === effect.phone && !!effect.idLast4 && !!c.idNumber?.endsWith(effect.idLast4),
      );
      return {
        kind: 'event',
        event: 'progress_result',
        cases: found.map(({ trackingNumber, statusText, nextDate }) => (nextDate ? { trackingNumber, statusText, nextDate } : { trackingNumber, statusText })),
      };
    }
    return undefined;
  };

  const out = turns.map((said, i): TranscriptTurn => {
    const now = new Date(start + i * TURN_GAP_MS);
    const turnCtx = { ...ctx, now };
    const replies: Reply[] = [];
    const effects: Effect[] = [];
    const apply = (input: DialogInput): Effect[] => {
      const result = step(state, input, turnCtx);
      state = result.state;
      replies.push(...result.replies);
      effects.push(...result.effects);
      return result.effects;
    };
    let waiting = apply(inputFor(said, channel, now));
    // Feed results back as the runner does, until no effect waits for one.
    while (waiting.length > 0) {
      waiting = waiting.flatMap((effect) => {
        const result = fakeResult(effect, now);
        return result ? apply(result) : [];
      });
    }
    if (!state) throw new Error('step returned no state');
    return { said, replies: opts.render === false ? replies : renderFor(channel, replies), effects, state };
  });
  return { turns: out, state, cases };
}

function inputFor(said: string, channel: Channel, now: Date): DialogInput {
  if (said === SILENCE) return { kind: 'event', event: 'silence' };
  if (said === STAFF_RELEASED) return { kind: 'event', event: 'staff_released' };
  const at = now.toISOString();
  if (said.startsWith(KEYS)) return { kind: 'message', channel, text: '', digits: said.slice(KEYS.length), at };
  return { kind: 'message', channel, text: said, at };
}

/** YYYYMMDD in the county's time zone, as tracking numbers carry it. */
function localDate(now: Date, ctx: DialogContext): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ctx.directory.county.timezone }).format(now).replace(/-/g, '');
}
