import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/client.js';
import { SqlParams } from '../db/statement.js';
import type { DialogContext } from '../dialogs/context.js';
import type { Effect } from '../dialogs/effects.js';
import { answerAside, aside, step, waitsOnResident } from '../dialogs/engine.js';
import { questionForModel } from '../dialogs/model-gate.js';
import type { PolicyData } from '../dialogs/policies.js';
import { renderFor } from '../dialogs/render.js';
import type { DialogInput, DialogState } from '../dialogs/state.js';
import type { InboundMessage, Reply } from '../domain/messages.js';
import { markProcessedSql, replyIds, stageRepliesSql, turnReplyKey, type StoredInboundRow } from '../messages/message-outbox.js';
import { openDialogState } from '../privacy/sealed-state.js';
import { findOrStartConversation, loadConversation, readTurnStart, returnToBot, saveStepSql, type Found, type TurnStart } from './conversation-store.js';
import { executeEffect, performAside, type EffectDeps, type TurnContext } from './dialog-effects.js';
import type { TurnReader } from './llm-acts.js';
import { withConversationLock } from './lock.js';

/**
 * The one dialog runner. Every step of a conversation's dialog goes through `runDialog`, whatever moved it: a
 * resident's message (intake.ts), a silence tick (silence.ts), a duty officer handing the conversation back
 * (staff/release-conversation.ts). Those callers are adapters; the runner
 *   1. takes the conversation's lock and loads it (the turn is skipped when it has nothing to do: a message already
 *      answered, a timer overtaken by the resident, a conversation a person holds),
 *   2. runs the pure step (src/dialogs/engine.ts) with the input (with an LLM, first asks it to read the resident's
 *      words, `readTurn`, and passes what it read in), carrying out each effect it asks for once
 *      (./dialog-effects.ts) and feeding the results back as events; a message answered beside the dialog (a clue,
 *      a follow-up answer) is read by the engine too, and never touches the dialog state,
 *   3. saves what the step leaves behind in one statement, all or nothing: the sealed state (conversation store),
 *      the message marked processed and the replies staged before they are sent (messages outbox). A step replayed
 *      after a failure finds its replies under the same keys.
 * The dialog state lives sealed in its conversation row and commits with the step's replies: a separate copy
 * (Redis) could run ahead of the record when a turn failed halfway and replay from the wrong step.
 */

export type DialogRunnerDeps = EffectDeps & {
  sql: Sql;
  policies: PolicyData;
  detectUrgency: DialogContext['detectUrgency'];
  /** Reads a resident's words with a model before the step (./llm-acts.ts); absent without an LLM, and nothing is asked. */
  readTurn?: TurnReader;
};

/** How a resident's replies reach them: inside the webhook's own response (TwiML), or delivered afterwards. */
export type ReplyPath = 'in_response' | 'delivered';

/** A resident's stored message whose turn has not run yet. */
export type WaitingMessage = { messageId: string; msg: InboundMessage; now: Date };

/** What moves the dialog one step. */
export type DialogRequest =
  /**
   * A resident's stored message; its conversation is found (or started) first. `earlier`: the sender's messages
   * stored before it (within `withinMs`) and still waiting for their turn run first, under the same lock (their
   * replies are delivered, whatever this message's `path`); they are read with the turn's start, in one statement,
   * and `waiting` makes each stored row the message it was.
   */
  | { kind: 'message'; messageId: string; msg: InboundMessage; now: Date; path: ReplyPath; found?: Found | undefined; earlier?: { withinMs: number; waiting: (row: StoredInboundRow) => WaitingMessage } }
  /** The resident said nothing since `messageId`; the clock is read once the lock is held. */
  | { kind: 'silence'; conversationId: string; messageId: string; attempt: number; now: () => Date }
  /** A duty officer handed the conversation back; `to` is the resident's last inbound message (no way to answer: undefined). */
  | { kind: 'release'; conversationId: string; to: InboundMessage | undefined; now: Date };

/** A turn run for an earlier waiting message before the one asked for: its replies are to be delivered. */
export type CaughtUp = { to: InboundMessage; replies: Reply[]; outboundIds: string[] };

export type DialogOutcome =
  /**
   * Replies staged (maybe none) and the step saved; `state` is absent when the dialog did not step (a person holds it,
   * an aside). `caughtUp`: the earlier messages' turns run first, oldest first.
   */
  | { kind: 'answered'; conversationId: string; to: InboundMessage; replies: Reply[]; outboundIds: string[]; state?: DialogState; caughtUp?: CaughtUp[] }
  /** The message's turn ran before (a recovery sweep and a late webhook both asked, or another process caught it up). */
  | { kind: 'already_done'; conversationId: string; caughtUp?: CaughtUp[] }
  /** Nothing to step: no such wait any more, a person holds the conversation, it ended, or nobody is waited on. */
  | { kind: 'moot' }
  /** The resident wrote since the silence wait was armed: their newest message, to wait after instead. */
  | { kind: 'moved'; messageId: string; receivedAt: Date; now: Date };

export type RunHooks = {
  /** Runs before the lock is released, whatever the outcome: arming the next wait, sending a reminder in order. */
  whileLocked?: (outcome: DialogOutcome) => Promise<void>;
};

/** A turn's effects may answer with events that emit more effects; this bounds the chain. */
const MAX_EFFECT_ROUNDS = 4;

/** A step ready to run: who and what it is for, the state and input, and how it is saved. */
type Begun = {
  t: TurnContext;
  state: DialogState | undefined;
  input: DialogInput;
  /** A person holds the conversation: the bot stays quiet, the officer sees the message. */
  quiet?: boolean;
  save: {
    /** A hand-back gives the conversation back to the bot. */
    hold: 'keep' | 'release';
    /** A resident's message is marked processed with the step. */
    processed: boolean;
    replyStatus: 'in_response' | 'queued';
    /** The key of the n-th reply: the same on a replay, so nothing is staged twice. */
    key: (n: number) => string;
  };
};

export async function runDialog(deps: DialogRunnerDeps, req: DialogRequest, hooks: RunHooks = {}): Promise<DialogOutcome> {
  const started = req.kind === 'message' ? await findOrStartConversation(deps, req.msg, req.now, req.found, req.messageId) : undefined;
  const conversationId = req.kind === 'message' ? started!.conversationId : req.conversationId;
  return withConversationLock(deps.redis, deps.redisPrefix, conversationId, async () => {
    // Per-sender order across processes: a message never overtakes an earlier one still waiting (its process died,
    // or has not come to it yet). Holding the lock, the earlier ones run first, oldest first. They are read with this
    // turn's start; when there are some, the start is read again once they have run.
    let caughtUp: CaughtUp[] = [];
    let begun: Begun | DialogOutcome;
    if (req.kind === 'message' && req.earlier) {
      const start = await readTurnStart(deps.sql, req.messageId, conversationId, { earlierWithinMs: req.earlier.withinMs });
      if (start.earlier.length > 0) caughtUp = await catchUp(deps, start.earlier.map(req.earlier.waiting), conversationId, started!.identityId);
      begun = await begin(deps, req, conversationId, started?.identityId, start.earlier.length > 0 ? undefined : start);
    } else {
      begun = await begin(deps, req, conversationId, started?.identityId);
    }
    const outcome = 't' in begun ? await run(deps, begun) : begun;
    await hooks.whileLocked?.(outcome);
    return caughtUp.length > 0 && (outcome.kind === 'answered' || outcome.kind === 'already_done') ? { ...outcome, caughtUp } : outcome;
  });
}

/** Runs the turns of earlier waiting messages of the same resident, in order, inside the conversation's lock. */
async function catchUp(deps: DialogRunnerDeps, earlier: WaitingMessage[], conversationId: string, identityId: string): Promise<CaughtUp[]> {
  const done: CaughtUp[] = [];
  for (const e of earlier) {
    const begun = await begin(deps, { kind: 'message', messageId: e.messageId, msg: e.msg, now: e.now, path: 'delivered' }, conversationId, identityId);
    if (!('t' in begun)) continue;
    const outcome = await run(deps, begun);
    if (outcome.kind === 'answered') done.push({ to: outcome.to, replies: outcome.replies, outboundIds: outcome.outboundIds });
  }
  return done;
}

/**
 * Loads the conversation inside the lock and decides whether (and how) this request steps it. `read`: a message's turn
 * start already read inside the lock, with nothing run since.
 */
async function begin(deps: DialogRunnerDeps, req: DialogRequest, conversationId: string, identityId: string | undefined, read?: TurnStart): Promise<Begun | DialogOutcome> {
  switch (req.kind) {
    case 'message': {
      // Inside the lock, re-check: a recovery sweep and a late webhook must not both run this turn.
      const current = read ?? (await readTurnStart(deps.sql, req.messageId, conversationId));
      if (current.messageStatus !== 'received') return { kind: 'already_done', conversationId };
      const { msg } = req;
      return {
        t: { messageId: req.messageId, conversationId, identityId: identityId!, msg, now: req.now },
        state: openDialogState(current.state, deps.cipher),
        input: {
          kind: 'message',
          channel: msg.channel,
          text: msg.text,
          ...(msg.digits ? { digits: msg.digits } : {}),
          ...(msg.speechConfidence !== undefined ? { speechConfidence: msg.speechConfidence } : {}),
          at: req.now.toISOString(),
        },
        quiet: current.conversationStatus === 'staff',
        save: {
          hold: 'keep',
          processed: true,
          // Replies given back in the webhook's response are sent once the provider has the response (the route marks them).
          replyStatus: req.path === 'in_response' ? 'in_response' : 'queued',
          key: (n) => turnReplyKey(req.messageId, n),
        },
      };
    }
    case 'silence': {
      const { messageId, attempt } = req;
      const conversation = await loadConversation(deps.db, conversationId);
      const last = await deps.db.message.findFirst({ where: { conversationId, direction: 'inbound' }, orderBy: { createdAt: 'desc' }, select: { id: true, receivedAt: true } });
      // A person took over or the conversation ended: nothing to chase.
      if (!conversation || conversation.status !== 'bot' || !last) return { kind: 'moot' };
      const state = openDialogState(conversation.state, deps.cipher);
      if (!state || !waitsOnResident(state.flow)) return { kind: 'moot' };
      const now = req.now();
      if (last.id !== messageId) return { kind: 'moved', messageId: last.id, receivedAt: last.receivedAt, now };
      const msg: InboundMessage = {
        channel: state.lastChannel,
        providerId: `silence:${conversationId}:${attempt}`,
        sender: conversation.identity.address,
        recipient: (await deps.db.message.findUnique({ where: { id: messageId }, select: { recipient: true } }))?.recipient ?? '',
        text: '',
        media: [],
        receivedAt: now,
        raw: {},
      };
      return {
        t: { messageId, conversationId, identityId: conversation.identityId, msg, now },
        state,
        input: { kind: 'event', event: 'silence' },
        save: { hold: 'keep', processed: false, replyStatus: 'queued', key: (n) => `silence:${conversationId}:${messageId}:${attempt}:${n}` },
      };
    }
    case 'release': {
      const c = await deps.db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { identity: true } });
      const state = openDialogState(c.state, deps.cipher);
      if (!state || !req.to) {
        await returnToBot(deps.db, conversationId);
        return { kind: 'moot' };
      }
      const { now } = req;
      return {
        // No resident message opened this step; a fresh id keeps openCase's once-per-message rule from matching an older case.
        t: { messageId: randomUUID(), conversationId, identityId: c.identityId, msg: req.to, now },
        state,
        input: { kind: 'event', event: 'staff_released' },
        save: { hold: 'release', processed: false, replyStatus: 'queued', key: (n) => `release:${conversationId}:${now.getTime()}:${n}` },
      };
    }
  }
}

/** Runs the step (or answers beside it), then saves it. */
async function run(deps: DialogRunnerDeps, b: Begun): Promise<DialogOutcome> {
  if (b.quiet) return save(deps, b, []);
  const ctx = contextFor(deps, b.t);
  if (b.input.kind === 'message') {
    const beside = aside(b.state, b.input, ctx);
    if (beside && 'replies' in beside) return save(deps, b, beside.replies);
    if (beside) {
      const done = await performAside(deps, b.t, beside.effect);
      if (done) return save(deps, b, answerAside(done, ctx));
    }
  }
  const { state, replies } = await stepWithEffects(deps, b.t, ctx, b.state, await withModelReading(deps, b, ctx));
  return save(deps, b, replies, state);
}

/** The step stays pure: a model's reading of the words, when one is configured and the turn is one it may help with, goes in with the input. */
async function withModelReading(deps: DialogRunnerDeps, b: Begun, ctx: DialogContext): Promise<DialogInput> {
  if (!deps.readTurn || b.input.kind !== 'message') return b.input;
  const question = questionForModel(b.state, b.input, ctx);
  const acts = question && (await deps.readTurn(question));
  return acts ? { ...b.input, model: acts } : b.input;
}

function contextFor(deps: DialogRunnerDeps, t: TurnContext): DialogContext {
  return {
    directory: deps.directory.directory,
    policies: deps.policies,
    now: t.now,
    callerPhone: t.msg.channel === 'sms' || t.msg.channel === 'voice' ? t.msg.sender : undefined,
    detectUrgency: deps.detectUrgency,
  };
}

/** Runs the pure step, carries out its effects once, and feeds their results back as events. */
async function stepWithEffects(deps: DialogRunnerDeps, t: TurnContext, ctx: DialogContext, state: DialogState | undefined, input: DialogInput) {
  let result = step(state, input, ctx);
  const replies = [...result.replies];
  let pending: Effect[] = result.effects;
  for (let round = 0; pending.length > 0 && round < MAX_EFFECT_ROUNDS; round += 1) {
    const next: Effect[] = [];
    for (const effect of pending) {
      const outcome = await executeEffect(deps, t, effect);
      if (!outcome) continue;
      const [event, instead] = 'insteadOfReplies' in outcome ? [outcome.event, outcome.insteadOfReplies] : [outcome, undefined];
      result = step(result.state, event, ctx);
      replies.push(...(instead ?? result.replies));
      next.push(...result.effects);
    }
    pending = next;
  }
  return { state: result.state, replies };
}

/**
 * Everything a step leaves behind, in one statement and so all or nothing: the dialog state (when it stepped), the
 * message marked processed (a resident's turn) and the replies, rendered for the channel and staged before they are
 * sent. Each part is written by its table's owner; the ids of the replies come back in order.
 *
 * A resident's turn is fenced by its message: the processed mark is made only while the message still waits, and the
 * state and replies are written only with it. A turn whose lock ran out while it ran (its process stalled past the
 * TTL, and another ran the message meanwhile) writes nothing and ends `already_done`: a message is processed once.
 */
async function save(deps: DialogRunnerDeps, b: Begun, replies: Reply[], state?: DialogState): Promise<DialogOutcome> {
  const { t } = b;
  const rendered = renderFor(t.msg.channel, replies);
  const rows = rendered.map((r, n) => ({ key: b.save.key(n), text: r.text }));
  const p = new SqlParams();
  const parts: string[] = [];
  const fence = b.save.processed ? 'EXISTS (SELECT 1 FROM msg)' : undefined;
  if (b.save.processed) parts.push(`msg AS (${markProcessedSql(p, { messageId: t.messageId, conversationId: t.conversationId, now: t.now })})`);
  if (state) parts.push(`conv AS (${saveStepSql(p, { conversationId: t.conversationId, now: t.now, state, cipher: deps.cipher, hold: b.save.hold, onlyIf: fence })})`);
  parts.push(
    `ins AS (${stageRepliesSql(p, { conversationId: t.conversationId, now: t.now, replies: rows, channel: t.msg.channel, from: t.msg.recipient, to: t.msg.sender, status: b.save.replyStatus }, { onlyIf: fence })})`,
  );
  const marked = b.save.processed ? '(SELECT count(*) FROM msg)::int' : '1';
  const { rows: result } = await deps.sql.query<{ id: string | null; key: string | null; marked: number }>(
    `WITH ${parts.join(',\n     ')}\n     SELECT i.id, i.key, m.marked FROM (SELECT ${marked} AS marked) m LEFT JOIN ins i ON true`,
    p.values,
  );
  if (result[0]?.marked === 0) return { kind: 'already_done', conversationId: t.conversationId };
  const inserted = result.filter((r): r is { id: string; key: string; marked: number } => r.id !== null && r.key !== null);
  const outboundIds = await replyIds(deps.sql, rows.map((r) => r.key), inserted);
  return { kind: 'answered', conversationId: t.conversationId, to: t.msg, replies: rendered, outboundIds, ...(state ? { state } : {}) };
}
