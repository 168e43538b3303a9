import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Logger } from '../logging.js';
import type { Spool } from './spool.js';
import { storable, storeInbound } from './store-inbound.js';
import { openInbound } from '../privacy/sealed-message.js';
import { runTurn, type ReplyPath, type TurnDeps, type TurnResult } from './turn.js';
import { requeueUnconfirmedReplies } from './turn-sql.js';

export type AcceptResult =
  | ({ kind: 'replied' } & TurnResult)
  | { kind: 'duplicate' }
  /** Kept (in the database or the spool) but not answered now; the answer follows through the channel's API. */
  | { kind: 'deferred'; holding: Reply[] };

/** Sends replies that could not go back in the webhook's own response. */
export type Deliver = (msg: InboundMessage, result: TurnResult) => Promise<void>;

/** A message kept (or refused as a repeat) before its turn runs; `turn` runs it once. */
export type StoreResult = { kind: 'stored'; turn: () => Promise<AcceptResult> } | Exclude<AcceptResult, { kind: 'replied' }>;

export type Intake = {
  /** `in_response`: the channel answers inside the webhook's own response (TwiML), so the replies count as sent. */
  accept(msg: InboundMessage, path?: ReplyPath): Promise<AcceptResult>;
  /** Stores a message without running its turn, for channels that acknowledge first and reply through their API. */
  store(msg: InboundMessage): Promise<StoreResult>;
  /**
   * Replays spooled messages and turns that never finished; their replies go out through `deliver`. Replies given
   * in a webhook response that never went out (older than `unconfirmedMs`) are sent through the channel's API.
   */
  recover(olderThanMs?: number, unconfirmedMs?: number): Promise<{ spooled: number; resumed: number; requeued?: number }>;
};

/** A reply handed back in a webhook response and still not confirmed after this long was not taken by the provider. */
const UNCONFIRMED_REPLY_MS = 2 * 60_000;

export const HOLDING_REPLY: Reply = {
  text: '您好，您的消息已收到，系统正在处理，稍后回复您。如遇生命危险，请立即拨打110、120或119。',
  speech: '您的话我们已经记下了，稍后会联系您。如有生命危险，请马上拨打一一零、一二零或一一九。',
};

export function createIntake(deps: TurnDeps & { spool: Spool; logger: Logger; now: () => Date; deliver: Deliver }): Intake {
  const log = deps.logger;

  /**
   * Stores a message and hands back its turn to run. When the database cannot
   * store it, a new message is journalled (`spool`); one replayed from the
   * journal is still in the batch being drained, so the failure is passed back
   * instead (`throw`): journalling it again would double the journal on every
   * sweep of an outage.
   */
  async function keep(received: InboundMessage, onOutage: 'spool' | 'throw', path: ReplyPath): Promise<StoreResult> {
    const msg = storable(received);
    const now = deps.now();
    let stored: Awaited<ReturnType<typeof storeInbound>>;
    try {
      stored = await storeInbound(deps, msg, now);
    } catch (err) {
      if (onOutage === 'throw') throw err;
      // The database is unreachable: journal the message locally so nothing is lost.
      await deps.spool.append(msg);
      log.warn({ err: (err as Error).message, channel: msg.channel, providerId: msg.providerId }, 'database unavailable: inbound message spooled');
      return { kind: 'deferred', holding: [HOLDING_REPLY] };
    }
    if (stored.duplicate) {
      log.info({ channel: msg.channel, providerId: msg.providerId }, 'repeated delivery ignored');
      return { kind: 'duplicate' };
    }
    const turn = async (): Promise<AcceptResult> => {
      try {
        return { kind: 'replied', ...(await runTurn(deps, stored.id, msg, now, { path, found: stored.found })) };
      } catch (err) {
        // Stored but not processed: the recovery sweep runs the turn when Redis/PostgreSQL answer again.
        log.error({ err, channel: msg.channel, messageId: stored.id }, 'dialog turn failed; message kept for recovery');
        return { kind: 'deferred', holding: [HOLDING_REPLY] };
      }
    };
    return { kind: 'stored', turn };
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
      const original = openInbound(row, deps.cipher);
      const msg: InboundMessage = {
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

  return { accept: (msg, path) => handle(msg, 'spool', path), store: (msg) => keep(msg, 'spool', 'delivered'), recover };
}
