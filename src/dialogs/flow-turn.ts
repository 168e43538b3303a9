import type { Channel, Reply } from '../domain/messages.js';
import type { DialogContext, UrgencyVerdict } from './context.js';
import type { Effect } from './effects.js';
import type { DialogState, Step } from './state.js';
import type { Acts } from './understand/acts.js';
import type { TurnAct } from './understand/turn-acts.js';

/** One message as the flows see it: normalised once, urgency checked once. */
export interface Said {
  /** Normalised text (simplified characters, half-width); keypad digits when nothing was said. */
  text: string;
  channel: Channel;
  at: string;
  /** Speech recognised with low confidence: a failed answer is "没听清", not "wrong". */
  unsure: boolean;
  urgency: UrgencyVerdict;
  /** This message raised the conversation's first alarm: it is about the danger, not the form. */
  alarmed: boolean;
  /** What the turn does besides answering: asks for a person, a question of its own, "don't know". */
  acts: Acts;
  /** A model's reading, when one was asked (`model-acts.ts` says how far it counts). */
  model?: TurnAct[];
}

export type ActiveFlow = 'menu' | 'emergency' | 'application' | 'progress' | 'enquiry';

/**
 * The work area of one step. `s` is the step's own copy of the state, so flows
 * update it in place while the caller's state stays untouched.
 */
export interface Turn {
  /** Replaced wholesale on restart. */
  s: DialogState;
  readonly ctx: DialogContext;
  readonly at: string;
  readonly replies: Reply[];
  readonly effects: Effect[];
  /** Switch to another flow and enter it; wired by the engine so flows need not import each other. */
  readonly goto: (flow: ActiveFlow, said?: Said) => void;
}

export function say(t: Turn, text: string, extra: Omit<Reply, 'text'> = {}): void {
  t.replies.push({ text, ...extra });
}

/** Resident-facing flows implement this; the engine dispatches to them. */
export interface FlowHandler {
  /** Start the flow; `said` is the message that led here and may already carry answers. */
  enter(t: Turn, said?: Said): void;
  onMessage(t: Turn, said: Said): void;
  /** Ask what the flow is waiting for (after a reminder, a skip, a staff hand-back or a resume). */
  advance(t: Turn): void;
}

/** Flows that build a case; they survive silence and continue on another channel. */
export interface CaseFlow extends FlowHandler {
  /** What the resident is in the middle of, for the resume line: "申请", "紧急求助". */
  readonly noun: string;
  /** Take what a message carries without reading it as an answer ("我回来了" answers nothing). */
  absorb(t: Turn, said: Said): void;
  /** Steps still to ask, in order. */
  missing(s: DialogState): Step[];
  /** Skip the current step. */
  skip(t: Turn): void;
  /** Emit open_case; `confirmed` is false when silence cuts the conversation short. */
  submit(t: Turn, confirmed: boolean): void;
  /** Receipt once the confirmed case is open. */
  receipt(t: Turn, trackingNumber: string, contactBy: string | undefined): void;
}

/** Free-text answers take any words, except a question back or a short "不知道", which answer nothing. */
export function tellsSomething(said: Said): boolean {
  return !said.acts.question && !(said.acts.dontKnow && said.text.length <= 10);
}
