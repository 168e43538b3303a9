import type { Redis } from 'ioredis';
import type { DialogContext } from '../dialogs/context.js';
import { step } from '../dialogs/engine.js';
import type { Effect } from '../dialogs/effects.js';
import type { PolicyData } from '../dialogs/policies.js';
import { renderFor } from '../dialogs/render.js';
import type { DialogInput, DialogState } from '../dialogs/state.js';
import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Prisma } from '../generated/prisma/client.js';
import { findOrStartConversation } from './conversation.js';
import type { ClueInput } from '../staff/report-clue.js';
import { CLUE_HOW_TO, readClueMessage } from './clue-message.js';
import { awaitingFollowUp, readSatisfaction } from './follow-up-answer.js';
import { executeEffect, type EffectDeps, type TurnContext } from './effects.js';
import { withConversationLock } from './lock.js';
import type { SessionStore } from './sessions.js';

export type TurnDeps = EffectDeps & {
  redis: Redis;
  redisPrefix: string;
  sessions: SessionStore;
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

/**
 * One dialog turn for one stored inbound message: find the conversation, run
 * the pure step, carry out its effects once, save the state, record the replies.
 * Turns of one conversation are serialised by a lock.
 */
export async function runTurn(deps: TurnDeps, messageId: string, msg: InboundMessage, now: Date): Promise<TurnResult> {
  const { db } = deps;
  const { identity, conversation } = await findOrStartConversation(db, msg, now);
  return withConversationLock(deps.redis, deps.redisPrefix, conversation.id, async () => {
    // Inside the lock, re-check: a recovery sweep and a late webhook must not both run this turn.
    const current = await db.message.findUniqueOrThrow({ where: { id: messageId }, select: { status: true } });
    if (current.status !== 'received') return { conversationId: conversation.id, replies: [], outboundIds: [] };

    if (conversation.status === 'staff') {
      // A duty officer holds the conversation: the bot stays quiet, the officer sees the message.
      await db.message.updateMany({ where: { id: messageId }, data: { status: 'processed', processedAt: now, conversationId: conversation.id } });
      return { conversationId: conversation.id, replies: [], outboundIds: [] };
    }

    const t: TurnContext = { messageId, conversationId: conversation.id, identityId: identity.id, msg, now };
    const input: DialogInput = {
      kind: 'message',
      channel: msg.channel,
      text: msg.text,
      ...(msg.digits ? { digits: msg.digits } : {}),
      ...(msg.speechConfidence !== undefined ? { speechConfidence: msg.speechConfidence } : {}),
      at: now.toISOString(),
    };
    const state = await deps.sessions.load(conversation.id, conversation.state);
    if (msg.channel === 'wecom_app') {
      const clue = await takeClue(deps, t);
      if (clue) return clue;
    }
    if (!state || state.flow === 'closed') {
      const answered = await answerFollowUp(deps, t);
      if (answered) return answered;
    }
    const { result, replies } = await stepWithEffects(deps, t, state, input);
    await saveState(deps, conversation.id, result.state, now);
    const rendered = renderFor(msg.channel, replies);
    const outboundIds = await recordReplies(deps, t, rendered, `reply:${messageId}`);
    await db.message.updateMany({ where: { id: messageId }, data: { status: 'processed', processedAt: now, conversationId: conversation.id } });
    await deps.onTurnSaved?.({ conversationId: conversation.id, messageId, state: result.state });
    return { conversationId: conversation.id, replies: rendered, outboundIds };
  });
}

/**
 * A resident outside any dialog who answers the follow-up question (满意/不满意)
 * is recording satisfaction, not starting a conversation: it closes or reopens the referral.
 */
async function answerFollowUp(deps: TurnDeps, t: TurnContext): Promise<TurnResult | undefined> {
  const satisfied = readSatisfaction(t.msg.text || t.msg.digits || '');
  if (satisfied === undefined) return undefined;
  const phoneDigits = t.msg.channel === 'sms' || t.msg.channel === 'voice' ? t.msg.sender.replace(/^\+86/, '') : undefined;
  const pending = await awaitingFollowUp(deps.db, { identityId: t.identityId, phoneDigits });
  if (!pending) return undefined;
  await deps.recordFollowUp({ trackingNumber: pending.trackingNumber, satisfied, note: t.msg.text, identityId: t.identityId, now: t.now });
  const reply: Reply = satisfied
    ? { text: `感谢您的评价！编号 ${pending.trackingNumber} 的事项已办结。今后有困难，随时联系我们。` }
    : { text: `很抱歉没能让您满意。编号 ${pending.trackingNumber} 的事项已重新交办，督办人员会跟进并联系您。` };
  const replies = renderFor(t.msg.channel, [reply]);
  const outboundIds = await recordReplies(deps, t, replies, `reply:${t.messageId}`);
  await deps.db.message.updateMany({ where: { id: t.messageId }, data: { status: 'processed', processedAt: t.now, conversationId: t.conversationId } });
  return { conversationId: t.conversationId, replies, outboundIds };
}

/** Staff and village assistants in the WeCom app report clues (主动发现) straight to the township, outside the dialog. */
async function takeClue(deps: TurnDeps, t: TurnContext): Promise<TurnResult | undefined> {
  const clue = readClueMessage(t.msg.text, deps.directory.directory, deps.detectUrgency);
  if (!clue) return undefined;
  let reply: Reply;
  if (clue.kind === 'needs_place') {
    reply = { text: CLUE_HOW_TO };
  } else {
    const reporter = await deps.db.staffUser.findFirst({ where: { wecomUserId: t.msg.sender, active: true }, select: { id: true, name: true } });
    const opened = await deps.reportClue(
      { townshipCode: clue.townshipCode, villageCode: clue.villageCode, address: clue.address, what: clue.what, urgent: clue.urgent, reporter: { name: reporter?.name ?? t.msg.sender, staffId: reporter?.id, wecomUserId: t.msg.sender }, channel: 'wecom_app' },
      t.now,
    );
    const township = deps.directory.directory.townships.find((x) => x.code === clue.townshipCode)?.name ?? '';
    reply = { text: `线索已登记，编号 ${opened.trackingNumber}，已转${township}入户核查。${clue.urgent ? '已按紧急情况通知值班人员。' : ''}` };
  }
  const replies = renderFor(t.msg.channel, [reply]);
  const outboundIds = await recordReplies(deps, t, replies, `reply:${t.messageId}`);
  await deps.db.message.updateMany({ where: { id: t.messageId }, data: { status: 'processed', processedAt: t.now, conversationId: t.conversationId } });
  return { conversationId: t.conversationId, replies, outboundIds };
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
      const event = await executeEffect(deps, t, effect);
      if (!event) continue;
      result = step(result.state, event, ctx);
      replies.push(...result.replies);
      next.push(...result.effects);
    }
    pending = next;
  }
  return { result, replies };
}

export async function saveState(deps: TurnDeps, conversationId: string, state: DialogState, now: Date) {
  await deps.sessions.save(conversationId, state);
  // The database copy lets a duty officer read the state and survives Redis losing its data.
  await deps.db.conversation.updateMany({
    where: { id: conversationId },
    data: { state: state as unknown as Prisma.InputJsonValue, lastMessageAt: now, ...(state.flow === 'closed' ? { status: 'closed' } : {}) },
  });
}

/**
 * Every outbound reply is stored, keyed by the inbound message, before it is sent: one INSERT for all of a
 * turn's replies (an upsert per reply cost an interactive transaction of five statements each). A turn
 * replayed after a failure finds its replies already there and takes their ids.
 */
export async function recordReplies(deps: TurnDeps, t: TurnContext, replies: Reply[], keyBase: string): Promise<string[]> {
  if (replies.length === 0) return [];
  const keys = replies.map((_, i) => `${keyBase}:${i}`);
  const created = await deps.db.message.createManyAndReturn({
    data: replies.map((reply, i) => ({
      channel: t.msg.channel,
      direction: 'outbound' as const,
      providerId: keys[i]!,
      idempotencyKey: keys[i]!,
      conversationId: t.conversationId,
      sender: t.msg.recipient,
      recipient: t.msg.sender,
      text: reply.text,
      status: 'queued' as const,
      receivedAt: t.now,
    })),
    skipDuplicates: true,
    select: { id: true, idempotencyKey: true },
  });
  const rows = created.length === keys.length ? created : await deps.db.message.findMany({ where: { idempotencyKey: { in: keys } }, select: { id: true, idempotencyKey: true } });
  const idOf = new Map(rows.map((r) => [r.idempotencyKey, r.id]));
  return keys.map((k) => idOf.get(k)!);
}
