import type { Flow, Step } from '../state.js';
import type { Conversation, ResidentTurn, Topic } from './conversation-file.js';

/** What the bot is waiting for, as the conversation row says after a turn. */
export type Waiting = { flow: Flow; step?: Step };

/** One resident's line to the hotline, however it is reached (real webhooks in `hotline eval dialogs`). */
export interface HotlineSession {
  send(turn: ResidentTurn): Promise<string[]>;
  waiting(): Promise<Waiting | undefined>;
}

export type Played = {
  residentTurns: number;
  /** Bot messages in order, for the report of a failed conversation. */
  transcript: Array<{ who: 'resident' | 'bot'; text: string }>;
  /** The most times one bot message was sent word for word. */
  maxRepeats: number;
  /** Why the replay stopped before the bot finished, if it did. */
  stopped?: string;
};

/** A resident gives up after this many messages, and the conversation counts as not captured. */
const MAX_TURNS = 30;

/** The question behind each step, in the words the conversations file uses. */
export function topicOf(w: Waiting, c: Conversation): Topic | undefined {
  switch (w.step) {
    case 'menu':
    case 'enquiry_answered':
      // Asked what they need: the resident tells their need again.
      return c.answers.reason ? 'reason' : 'what';
    case 'reason':
      return 'reason';
    case 'name':
      return 'name';
    case 'idNumber':
    case 'progress_last4':
      return 'id_number';
    case 'householdSize':
      return 'household';
    case 'place':
    case 'where':
      return 'place';
    case 'phone_confirm':
    case 'phone':
    case 'progress_phone':
      return 'phone';
    case 'relation':
      return 'relation';
    case 'consent':
      return 'consent';
    case 'summary':
      return 'confirm';
    case 'what':
      return 'what';
    case 'affected':
      return 'affected';
    case 'danger':
      return 'danger';
    case 'reporter':
      return 'reporter';
    case 'progress_key':
      return 'tracking';
    case 'enquiry_category':
      return 'category';
    case 'safety':
      return 'safety';
    default:
      return undefined;
  }
}

const FINISHED: ReadonlySet<Flow> = new Set(['closed', 'handover']);

const shown = (t: ResidentTurn) => (typeof t === 'string' ? t : [t.text, t.digits && `[按键 ${t.digits}]`].filter(Boolean).join(' '));

/**
 * Plays one persona: its opening, then, while the bot waits on a question, the persona's answer
 * to that kind of question (the n-th answer the n-th time it is asked; an interjection first
 * where the file puts one). Stops when the bot closes or hands over, or the resident gives up.
 */
export async function play(c: Conversation, session: HotlineSession, fill: (t: ResidentTurn) => ResidentTurn = (t) => t): Promise<Played> {
  const transcript: Played['transcript'] = [];
  const seen = new Map<string, number>();
  let residentTurns = 0;
  const send = async (turn: ResidentTurn) => {
    const filled = fill(turn);
    residentTurns += 1;
    transcript.push({ who: 'resident', text: shown(filled) });
    for (const text of await session.send(filled)) {
      transcript.push({ who: 'bot', text });
      seen.set(text, (seen.get(text) ?? 0) + 1);
    }
  };
  const result = (stopped?: string): Played => ({ residentTurns, transcript, maxRepeats: Math.max(0, ...seen.values()), stopped });

  for (const turn of c.opening) await send(turn);
  const asked = new Map<Topic, number>();
  const interjected = new Set<number>();
  while (residentTurns < MAX_TURNS) {
    const w = await session.waiting();
    if (!w || FINISHED.has(w.flow)) return result();
    const topic = topicOf(w, c);
    if (!topic) return result(`不认识的提问 ${w.flow}/${w.step ?? '-'}`);
    const i = c.interjections.findIndex((x, k) => x.before === topic && !interjected.has(k));
    if (i >= 0) {
      interjected.add(i);
      await send(c.interjections[i]!.text);
      continue;
    }
    const n = asked.get(topic) ?? 0;
    asked.set(topic, n + 1);
    const options = c.answers[topic] ?? ['不清楚'];
    await send(options[Math.min(n, options.length - 1)]!);
  }
  return result(`${MAX_TURNS}句后仍未办完`);
}
