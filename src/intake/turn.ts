import type { Redis } from 'ioredis';
import type { DialogContext } from '../dialogs/context.js';
import { step } from '../dialogs/engine.js';
import type { Effect } from '../dialogs/effects.js';
import type { PolicyData } from '../dialogs/policies.js';
import { renderFor } from '../dialogs/render.js';
import type { DialogInput, DialogState } from '../dialogs/state.js';
import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Sql } from '../db/client.js';
import { findOrStartConversation } from './conversation.js';
import type { ClueInput } from '../staff/report-clue.js';
import { CLUE_HOW_TO, readClueMessage } from './clue-message.js';
import { awaitingFollowUp, readSatisfaction } from './follow-up-answer.js';
import { executeEffect, type EffectDeps, type TurnContext } from './effects.js';
import { withConversationLock } from './lock.js';
import { openDialogState, sealDialogState } from '../privacy/sealed-state.js';
import { finishTurn, insertReplies, readTurnStart, type Found, type TurnOutcome } from './turn-sql.js';

export type TurnDeps = EffectDeps & {
  sql: Sql;
  redis: Redis;
  redisPrefix: string;
  policies: PolicyData;
  detectUrgency: DialogContext['detectUrgency'];
  /** Records a clue from active discovery as a case routed to the township. */
  reportClue: (input: ClueInput, now: Date) => Promise<{ trackingNumber: string }>;
  /** Records the resident's answer to a follow-up question (closes or reopens the referral). */
  recordFollowUp: (input: { trackingNumber: string; satisfied: boolean; note: string; identityId: string; now: Date }) => Promise<unknown>;
  /** Called after each saved turn, e.g. to arm the silence reminder. */
  onTurnSaved?: (turn: { conversationId: string; messageId: string; state: DialogState }) => Promise<void>;
};

export type TurnResult = {
  conversationId: string;
  /** Replies rendered for the message's channel; empty while a duty officer holds the conversation. */
  replies: Reply[];
  /** Ids of the stored outbound rows, one per reply, for marking them sent. */
  outboundIds: string[];
};

/** A turn's effects may answer with events that emit more effects; this bounds the chain. */
const MAX_EFFECT_ROUNDS = 4;

/** How a turn's replies reach the resident: inside the webhook's own response (TwiML), or delivered afterwards. */
export type ReplyPath = 'in_response' | 'delivered';

/**
 * One dialog turn for one stored inbound message: find the conversation, run
 * the pure step, carry out its effects once, then save the state, the replies
 * and the message's processed mark together. Turns of one conversation are
 * serialised by a lock. The dialog state lives sealed in its conversation row
 * and commits with the turn's replies: a separate copy (Redis) could run ahead
 * of the record when a turn failed halfway and replay from the wrong step.
 */
export async function runTurn(deps: TurnDeps, messageId: string, msg: InboundMessage, now: Date, opts: { path?: ReplyPath; found?: Found } = {}): Promise<TurnResult> {
  const path = opts.path ?? 'delivered';
  const { identityId, conversationId } = await findOrStartConversation(deps, msg, now, opts.found);
  return withConversationLock(deps.redis, deps.redisPrefix, conversationId, async () => {
    // Inside the lock, re-check: a recovery sweep and a late webhook must not both run this turn.
    const current = await readTurnStart(deps.sql, messageId, conversationId);
    const t: TurnContext = { messageId, conversationId, identityId, msg, now };
    if (current.messageStatus !== 'received') return { conversationId, replies: [], outboundIds: [] };
    // A duty officer holds the conversation: the bot stays quiet, the officer sees the message.
    if (current.conversationStatus === 'staff') return finish(deps, t, [], path);

    const input: DialogInput = {
      kind: 'message',
      channel: msg.channel,
      text: msg.text,
      ...(msg.digits ? { digits: msg.digits } : {}),
      ...(msg.speechConfidence !== undefined ? { speechConfidence: msg.speechConfidence } : {}),
      at: now.toISOString(),
    };
    const state = openDialogState(current.state, deps.cipher);
    if (msg.channel === 'wecom_app') {
      const clue = await takeClue(deps, t);
      if (clue) return finish(deps, t, [clue], path);
    }
    if (!state || state.flow === 'closed') {
      const answered = await answerFollowUp(deps, t);
      if (answered) return finish(deps, t, [answered], path);
    }
    const { result, replies } = await stepWithEffects(deps, t, state, input);
    const turn = await finish(deps, t, replies, path, { stored: sealDialogState(result.state, deps.cipher), closed: result.state.flow === 'closed' });
    // The turn is committed and its replies must go out: a wait that cannot be armed costs a reminder, not the answer.
    await deps.onTurnSaved?.({ conversationId, messageId, state: result.state }).catch((err: Error) => deps.logger.warn({ err: err.message, conversationId }, 'silence reminder not armed'));
    return turn;
  });
}

/** Stores what the turn leaves behind in one statement (state, message processed, replies) and says what to send. */
async function finish(deps: TurnDeps, t: TurnContext, replies: Reply[], path: ReplyPath, state?: TurnOutcome['state']): Promise<TurnResult> {
  const rendered = renderFor(t.msg.channel, replies);
  const outboundIds = await finishTurn(deps.sql, {
    messageId: t.messageId,
    conversationId: t.conversationId,
    now: t.now,
    ...(state ? { state } : {}),
    replies: rendered.map((r, i) => ({ key: `reply:${t.messageId}:${i}`, text: r.text })),
    channel: t.msg.channel,
    from: t.msg.recipient,
    to: t.msg.sender,
    // Replies given back in the webhook's response are sent once the provider has the response (the route marks them).
    replyStatus: path === 'in_response' ? 'in_response' : 'queued',
  });
  return { conversationId: t.conversationId, replies: rendered, outboundIds };
}

/**
 * A resident outside any dialog who answers the follow-up question (满意/不满意)
 * is recording satisfaction, not starting a conversation: it closes or reopens the referral.
 */
async function answerFollowUp(deps: TurnDeps, t: TurnContext): Promise<Reply | undefined> {
  const satisfied = readSatisfaction(t.msg.text || t.msg.digits || '');
  if (satisfied === undefined) return undefined;
  const phoneDigits = t.msg.channel === 'sms' || t.msg.channel === 'voice' ? t.msg.sender.replace(/^\+86/, '') : undefined;
  const pending = await awaitingFollowUp(deps.db, { identityId: t.identityId, phoneDigits });
  if (!pending) return undefined;
  await deps.recordFollowUp({ trackingNumber: pending.trackingNumber, satisfied, note: t.msg.text, identityId: t.identityId, now: t.now });
  return satisfied
    ? { text: `感谢您的评价！编号 ${pending.trackingNumber} 的事项已办结。今后有困难，随时联系我们。` }
    : { text: `很抱歉没能让您满意。编号 ${pending.trackingNumber} 的事项已重新交办，督办人员会跟进并联系您。` };
}

/** Staff and village assistants in the WeCom app report clues (主动发现) straight to the township, outside the dialog. */
async function takeClue(deps: TurnDeps, t: TurnContext): Promise<Reply | undefined> {
  const clue = readClueMessage(t.msg.text, deps.directory.directory, deps.detectUrgency);
  if (!clue) return undefined;
  if (clue.kind === 'needs_place') return { text: CLUE_HOW_TO };
  const reporter = await deps.db.staffUser.findFirst({ where: { wecomUserId: t.msg.sender, active: true }, select: { id: true, name: true } });
  const opened = await deps.reportClue(
    { townshipCode: clue.townshipCode, villageCode: clue.villageCode, address: clue.address, what: clue.what, urgent: clue.urgent, reporter: { name: reporter?.name ?? t.msg.sender, staffId: reporter?.id, wecomUserId: t.msg.sender }, channel: 'wecom_app' },
    t.now,
  );
  const township = deps.directory.directory.townships.find((x) => x.code === clue.townshipCode)?.name ?? '';
  return { text: `线索已登记，编号 ${opened.trackingNumber}，已转${township}入户核查。${clue.urgent ? '已按紧急情况通知值班人员。' : ''}` };
}

/** Runs the pure step, carries out its effects once, and feeds their results back as events. */
export async function stepWithEffects(deps: TurnDeps, t: TurnContext, state: DialogState | undefined, input: DialogInput) {
  const ctx: DialogContext = {
    directory: deps.directory.directory,
    policies: deps.policies,
    now: t.now,
    callerPhone: t.msg.channel === 'sms' || t.msg.channel === 'voice' ? t.msg.sender : undefined,
    detectUrgency: deps.detectUrgency,
  };
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
  return { result, replies };
}

/** Saves a state changed outside a resident's turn (silence), sealed. */
export async function saveState(deps: TurnDeps, conversationId: string, state: DialogState, now: Date) {
  await deps.db.conversation.updateMany({
    where: { id: conversationId },
    data: { state: sealDialogState(state, deps.cipher), lastMessageAt: now, ...(state.flow === 'closed' ? { status: 'closed' } : {}) },
  });
}

/** Stores replies outside a resident's turn (silence reminders, staff hand-back) before they are sent, keyed from `keyBase`. */
export function recordReplies(deps: TurnDeps, t: TurnContext, replies: Reply[], keyBase: string): Promise<string[]> {
  return insertReplies(deps.sql, {
    conversationId: t.conversationId,
    now: t.now,
    replies: replies.map((r, i) => ({ key: `${keyBase}:${i}`, text: r.text })),
    channel: t.msg.channel,
    from: t.msg.recipient,
    to: t.msg.sender,
  });
}
