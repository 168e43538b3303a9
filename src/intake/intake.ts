import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Logger } from '../logging.js';
import type { Spool } from './spool.js';
import { storable, storeInbound } from './store-inbound.js';
import { openInbound } from '../privacy/sealed-message.js';
import { requeueUnconfirmedReplies, waitingByProviderId, type StoredInboundRow } from '../messages/message-outbox.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import type { DialogState } from '../dialogs/state.js';
import type { Found } from './conversation-store.js';
import { runDialog, type DialogRunnerDeps, type ReplyPath, type WaitingMessage } from './dialog-runner.js';

export type { ReplyPath };

/** What a resident's turn gives: the replies rendered for the message's channel, and the ids of their stored rows. */
export type TurnResult = {
  conversationId: string;
  /** Replies rendered for the message's channel; empty while a duty officer holds the conversation. */
  replies: Reply[];
  /** Ids of the stored outbound rows, one per reply, for marking them sent. */
  outboundIds: string[];
  /** The turn had run already (another process, a recovery sweep, or a later message's turn caught it up). */
  alreadyDone?: boolean;
};

export type AcceptResult =
  | ({ kind: 'replied' } & TurnResult)
  | { kind: 'duplicate' }
  /** Kept (in the database or the spool) but not answered now; the answer follows through the channel's API. */
  | { kind: 'deferred'; holding: Reply[] };

/** Sends replies that could not go back in the webhook's own response. */
export type Deliver = (msg: InboundMessage, result: TurnResult) => Promise<void>;

/**
 * A message kept (or refused as a repeat) before its turn runs; `turn` runs it once. `waiting`: the sender's earlier
 * messages on the channel still waiting for their turn when this one was stored (another process may hold them; see
 * `catchUp`).
 */
export type StoreResult = { kind: 'stored'; messageId: string; waiting: string[]; turn: () => Promise<AcceptResult> } | Exclude<AcceptResult, { kind: 'replied' }>;

export type Intake = {
  /** `in_response`: the channel answers inside the webhook's own response (TwiML), so the replies count as sent. */
  accept(msg: InboundMessage, path?: ReplyPath): Promise<AcceptResult>;
  /** Stores a message without running its turn, for channels that acknowledge first and reply through their API. */
  store(msg: InboundMessage): Promise<StoreResult>;
  /**
   * Runs the turns of these stored messages that still wait for one, oldest first, their replies through `deliver`:
   * a process about to run a resident's turn first runs the earlier ones another process has not run yet, so the
   * resident's messages are answered in the order they came whichever process took each. A turn another process is
   * running meanwhile is waited for (the conversation's lock) and not run twice.
   */
  catchUp(messageIds: string[]): Promise<void>;
  /**
   * Replays spooled messages and turns that never finished; their replies go out through `deliver`. Replies given
   * in a webhook response that never went out (older than `unconfirmedMs`) are sent through the channel's API.
   */
  recover(olderThanMs?: number, unconfirmedMs?: number): Promise<{ spooled: number; resumed: number; requeued?: number }>;
};

/** A reply handed back in a webhook response and still not confirmed after this long was not taken by the provider. */
const UNCONFIRMED_REPLY_MS = 2 * 60_000;
/** How far back a stored message looks for the sender's earlier messages still waiting (older ones are the recovery sweep's). */
const WAITING_WINDOW_MS = 60_000;
/**
 * How far back a turn looks for the sender's earlier messages still waiting, to run them first (in-order across
 * processes). Bounded, so a message whose turn can never run does not hold up the resident for ever: past this it is
 * the recovery sweep's alone.
 */
const IN_ORDER_WINDOW_MS = 10 * 60_000;

export const HOLDING_REPLY: Reply = {
  text: '您好，您的消息已收到，系统正在处理，稍后回复您。如遇生命危险，请立即拨打110、120或119。',
  speech: '您的话我们已经记下了，稍后会联系您。如有生命危险，请马上拨打一一零、一二零或一一九。',
};

export type IntakeDeps = DialogRunnerDeps & {
  spool: Spool;
  logger: Logger;
  now: () => Date;
  deliver: Deliver;
  /** Called after each saved dialog step, e.g. to arm the silence reminder. */
  onTurnSaved?: (turn: { conversationId: string; messageId: string; state: DialogState }) => Promise<void>;
};

/**
 * A resident's turn for one stored message, through the dialog runner. Once the step is saved (still holding the
 * conversation's lock) the silence reminder is armed: the replies must go out, so a wait that cannot be armed costs
 * a reminder, not the answer.
 */
async function runTurn(deps: IntakeDeps, messageId: string, msg: InboundMessage, now: Date, opts: { path?: ReplyPath; found?: Found } = {}): Promise<TurnResult> {
  // The sender's earlier messages still waiting run first, in the same lock: a process that died after storing one,
  // or one not come to it yet, cannot let this message overtake it.
  const earlier = {
    withinMs: IN_ORDER_WINDOW_MS,
    waiting: (row: StoredInboundRow): WaitingMessage => ({ messageId: row.id, msg: inboundOf(row, deps.cipher), now: row.receivedAt }),
  };
  const outcome = await runDialog(
    deps,
    { kind: 'message', messageId, msg, now, path: opts.path ?? 'delivered', found: opts.found, earlier },
    {
      whileLocked: async (o) => {
        if (o.kind !== 'answered' || !o.state) return;
        await deps.onTurnSaved?.({ conversationId: o.conversationId, messageId, state: o.state }).catch((err: Error) => deps.logger.warn({ err: err.message, conversationId: o.conversationId }, 'silence reminder not armed'));
      },
    },
  );
  if (outcome.kind !== 'answered' && outcome.kind !== 'already_done') throw new Error(`a resident's turn cannot end ${outcome.kind}`);
  // Replies to the earlier messages go out through the channel's API, before this turn's own are handed back.
  for (const e of outcome.caughtUp ?? []) {
    await deps
      .deliver(e.to, { conversationId: outcome.conversationId, replies: e.replies, outboundIds: e.outboundIds })
      .catch((err: Error) => deps.logger.warn({ err: err.message, conversationId: outcome.conversationId }, 'replies to an earlier message caught up not sent; the outbound queue retries'));
  }
  if (outcome.kind === 'answered') return { conversationId: outcome.conversationId, replies: outcome.replies, outboundIds: outcome.outboundIds };
  return { conversationId: outcome.conversationId, replies: [], outboundIds: [], alreadyDone: true };
}

/** The message as it came, from its stored row (the resident's words unsealed). */
function inboundOf(row: StoredInboundRow, cipher: PersonalDataCipher): InboundMessage {
  const original = openInbound(row, cipher);
  return {
    channel: row.channel,
    providerId: row.providerId,
    sender: row.sender,
    recipient: row.recipient,
    text: original.text,
    ...(original.digits ? { digits: original.digits } : {}),
    ...(row.speechConfidence !== null ? { speechConfidence: row.speechConfidence } : {}),
    media: row.media as InboundMessage['media'],
    receivedAt: row.receivedAt,
    raw: {},
  };
}

export function createIntake(deps: IntakeDeps): Intake {
  const log = deps.logger;

  /**
   * Stores a message and hands back its turn to run. When the database cannot
   * store it, a new message is journalled (`spool`); one replayed from the
   * journal is still in the batch being drained, so the failure is passed back
   * instead (`throw`): journalling it again would double the journal on every
   * sweep of an outage.
   */
  async function keep(received: InboundMessage, onOutage: 'spool' | 'throw', path: ReplyPath, opts: { waiting?: boolean } = {}): Promise<StoreResult> {
    const msg = storable(received);
    const now = deps.now();
    let stored: Awaited<ReturnType<typeof storeInbound>>;
    try {
      stored = await storeInbound(deps, msg, now, opts.waiting ? { waitingWithinMs: WAITING_WINDOW_MS } : {});
    } catch (err) {
      if (onOutage === 'throw') throw err;
      // The database is unreachable: journal the message locally so nothing is lost.
      await deps.spool.append(msg);
      log.warn({ err: (err as Error).message, channel: msg.channel, providerId: msg.providerId }, 'database unavailable: inbound message spooled');
      return { kind: 'deferred', holding: [HOLDING_REPLY] };
    }
    if (stored.duplicate) {
      // A redelivery of a message whose turn never ran (the process that stored it died, or has not come to it):
      // it runs here. Its turn takes the conversation's lock and is fenced, so it runs once wherever it runs; a
      // turn done meanwhile, or still running elsewhere past the lock's wait, answers as a repeat from storage.
      const waiting = await waitingByProviderId(deps.sql, msg.channel, msg.providerId).catch(() => undefined);
      if (!waiting) {
        log.info({ channel: msg.channel, providerId: msg.providerId }, 'repeated delivery ignored');
        return { kind: 'duplicate' };
      }
      log.info({ channel: msg.channel, providerId: msg.providerId, messageId: waiting.id }, 'repeated delivery of a message still waiting for its turn: running it');
      const again = async (): Promise<AcceptResult> => {
        try {
          const result = await runTurn(deps, waiting.id, msg, waiting.receivedAt, { path });
          return result.alreadyDone ? { kind: 'duplicate' } : { kind: 'replied', ...result };
        } catch (err) {
          log.warn({ err: (err as Error).message, channel: msg.channel, messageId: waiting.id }, 'redelivered message not run now; the first delivery or the recovery sweep runs it');
          return { kind: 'duplicate' };
        }
      };
      return { kind: 'stored', messageId: waiting.id, waiting: [], turn: again };
    }
    const turn = async (): Promise<AcceptResult> => {
      try {
        const result = await runTurn(deps, stored.id, msg, now, { path, found: stored.found });
        // Run meanwhile by another process (a redelivery there, or a later message's turn that caught it up): its
        // replies are stored, and went out there; a channel answering in its response answers from storage.
        return result.alreadyDone ? { kind: 'duplicate' } : { kind: 'replied', ...result };
      } catch (err) {
        // Stored but not processed: the recovery sweep runs the turn when Redis/PostgreSQL answer again.
        log.error({ err, channel: msg.channel, messageId: stored.id }, 'dialog turn failed; message kept for recovery');
        return { kind: 'deferred', holding: [HOLDING_REPLY] };
      }
    };
    return { kind: 'stored', messageId: stored.id, waiting: stored.waiting ?? [], turn };
  }

  /** Stores a message and runs its turn. */
  async function handle(received: InboundMessage, onOutage: 'spool' | 'throw', path: ReplyPath = 'delivered'): Promise<AcceptResult> {
    const kept = await keep(received, onOutage, path);
    return kept.kind === 'stored' ? kept.turn() : kept;
  }

  async function recover(olderThanMs = 15_000, unconfirmedMs = UNCONFIRMED_REPLY_MS) {
    const { replayed, kept } = await deps.spool.drain(async (msg) => {
      const r = await handle(msg, 'throw');
      // 'deferred' here means stored but the turn failed: the sweep below resumes it like any stored message.
      if (r.kind === 'replied') await deps.deliver(msg, r);
    });
    // Kept lines wait for the database, or for the DATA_KEY they were sealed with: an operator must hear of them.
    if (kept > 0) log.warn({ kept }, 'spooled messages still waiting: database unreachable or sealed with another DATA_KEY');
    const stuck = await deps.db.message.findMany({
      where: { direction: 'inbound', status: 'received', createdAt: { lt: new Date(deps.now().getTime() - olderThanMs) } },
      orderBy: { createdAt: 'asc' },
      take: 200,
    });
    let resumed = 0;
    for (const row of stuck) {
      const msg = inboundOf(row, deps.cipher);
      try {
        const result = await runTurn(deps, row.id, msg, deps.now());
        await deps.deliver(msg, result);
        resumed += 1;
      } catch (err) {
        log.warn({ err: (err as Error).message, messageId: row.id }, 'recovery of a stored message failed; will retry');
      }
    }
    // A TwiML answer whose response never went out whole, and that no redelivery asked for again: send it by API.
    const requeued = await requeueUnconfirmedReplies(deps.sql, new Date(deps.now().getTime() - unconfirmedMs));
    if (requeued.length > 0) {
      log.warn({ replies: requeued.length }, 'replies given in a webhook response that never went out: sending them through the API');
      await deps.deliver({ channel: 'sms', providerId: '', sender: '', recipient: '', text: '', media: [], receivedAt: deps.now(), raw: {} }, { conversationId: '', replies: [], outboundIds: requeued.map((r) => r.id) });
    }
    return { spooled: replayed, resumed, ...(requeued.length > 0 ? { requeued: requeued.length } : {}) };
  }

  async function catchUp(messageIds: string[]) {
    if (messageIds.length === 0) return;
    const rows = await deps.db.message.findMany({ where: { id: { in: messageIds }, direction: 'inbound', status: 'received' }, orderBy: { createdAt: 'asc' } });
    for (const row of rows) {
      const msg = inboundOf(row, deps.cipher);
      const result = await runTurn(deps, row.id, msg, row.receivedAt);
      await deps.deliver(msg, result);
    }
  }

  return { accept: (msg, path) => handle(msg, 'spool', path), store: (msg) => keep(msg, 'spool', 'delivered', { waiting: true }), recover, catchUp };
}
