import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CountyDirectory } from '../../src/directory/schema.js';
import type { Channel } from '../../src/domain/messages.js';
import type { DialogContext } from '../../src/dialogs/context.js';
import type { Effect } from '../../src/dialogs/effects.js';
import { PolicyData } from '../../src/dialogs/policies.js';
import { DialogState } from '../../src/dialogs/state.js';
import { runTranscript, transcriptTrackingNumbers, type Transcript, type TranscriptOptions, type TranscriptTurn } from '../../src/dialogs/transcripts.js';
import { detectUrgency } from '../../src/routing/urgency.js';

export const VALID_ID = '11010519491231002X';
/** Same number with the check character wrong. */
export const BAD_CHECKSUM_ID = '110105194912310021';
export const CALLER = '+8613812341234';
/** The tracking number a replay issues to the day's `seq`-th case (the test day is 2026-11-22). */
export const issued = (seq = 1, day = '20261122') => transcriptTrackingNumbers.issue(day, seq);

const directory = CountyDirectory.parse(JSON.parse(readFileSync(new URL('../../data/counties/lanshan.json', import.meta.url), 'utf8')));
export const policies = PolicyData.parse(
  JSON.parse(readFileSync(new URL('../../data/counties/lanshan.policies.json', import.meta.url), 'utf8')),
);

export function makeCtx(overrides: Partial<DialogContext> = {}): DialogContext {
  return { directory, policies, now: new Date('2026-11-22T02:00:00Z'), callerPhone: CALLER, detectUrgency, ...overrides };
}

/** The caller's number only exists on phone channels. */
export function ctxFor(channel: Channel, overrides: Partial<DialogContext> = {}): DialogContext {
  return makeCtx(channel === 'sms' || channel === 'voice' ? overrides : { callerPhone: undefined, ...overrides });
}

/**
 * Runs a transcript and checks what must hold on every turn: the state survives a
 * JSON round-trip through the schema, and no reply carries a full ID or phone number.
 */
export function run(channel: Channel, turns: string[], opts: TranscriptOptions & { ctx?: DialogContext } = {}): Transcript {
  const transcript = runTranscript(opts.ctx ?? ctxFor(channel), channel, turns, opts);
  for (const turn of transcript.turns) {
    expect(DialogState.parse(JSON.parse(JSON.stringify(turn.state)))).toEqual(JSON.parse(JSON.stringify(turn.state)));
    for (const reply of turn.replies) {
      for (const said of [reply.text, reply.speech ?? '']) {
        expect(said).not.toMatch(/\d{17}[\dX]/);
        expect(said).not.toMatch(/1[3-9]\d{9}/);
      }
    }
  }
  return transcript;
}

/** Everything one turn said, as one string. */
export function text(turn: TranscriptTurn | undefined): string {
  if (!turn) throw new Error('no such turn');
  return turn.replies.map((r) => r.text).join('\n');
}

export function effects<T extends Effect['type']>(turn: TranscriptTurn | undefined, type: T): Extract<Effect, { type: T }>[] {
  if (!turn) throw new Error('no such turn');
  return turn.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

export function last<T>(items: T[]): T {
  const item = items.at(-1);
  if (item === undefined) throw new Error('empty');
  return item;
}
