import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Background } from '../../background.js';
import type { Db, Sql } from '../../db/client.js';
import type { Channel, Reply } from '../../domain/messages.js';
import { HOLDING_REPLY, type Intake } from '../../intake/intake.js';
import { markRepliesSent, recordProviderStatus, repliesTo } from '../../messages/message-outbox.js';
import type { Logger } from '../../logging.js';
import { parseVoiceParams, smsToInbound, voiceTurnToInbound } from './parse.js';
import { verifyTwilioSignature, type TwilioParams } from './signature.js';
import { NO_INPUT_PARAM, smsTwiml, voiceTwiml } from './twiml.js';
import * as audit from '../../audit/record.js';
import { openDutyTask } from '../../duty/tasks.js';

export type TwilioRouteDeps = {
  db: Db;
  sql: Sql;
  /** Marks replies sent after their response has gone out, tracked so shutdown and tests can wait for it. */
  background: Background;
  logger: Logger;
  intake: Intake;
  authToken: string;
  publicBaseUrl: string;
  /** Duty officers' numbers, rung when a call is flagged or the caller asks for a person. */
  dutyNumbers: string[];
  now: () => Date;
};

const VOICE = '/channels/twilio/voice';
const TWIML = 'text/xml; charset=utf-8';
/**
 * A redelivery that arrives while the first delivery's turn is still running waits this long for its replies. Twilio
 * gives up on a webhook after 15 seconds; a turn that has not finished by then is finished by the recovery sweep,
 * which sends its replies through the API.
 */
const REDELIVERY_WAIT_MS = 8_000;
const REDELIVERY_POLL_MS = 50;

const VOICEMAIL_PROMPT: Reply = {
  text: '值班人员暂时无法接听。请在提示音后留言，说明您的情况和联系方式，说完按井号键，我们会尽快给您回电。',
};

/**
 * Twilio webhooks: SMS, and a voice call walked turn by turn through Gather
 * action URLs. Every request's X-Twilio-Signature is checked against the public
 * URL; a forged or missing one gets 403 and nothing is stored.
 */
export function registerTwilioRoutes(app: FastifyInstance, deps: TwilioRouteDeps): void {
  const abs = (path: string) => `${deps.publicBaseUrl}${path}`;
  const voiceOpts = (turn: number) => ({
    actionUrl: abs(`${VOICE}?turn=${turn}`),
    dialNumbers: deps.dutyNumbers,
    dialActionUrl: abs(`${VOICE}/dial-status`),
    recordActionUrl: abs(`${VOICE}/recording`),
  });

  app.register(async (scope) => {
    scope.addHook('preHandler', async (req, reply) => {
      const signature = req.headers['x-twilio-signature'];
      const ok =
        typeof signature === 'string' &&
        verifyTwilioSignature({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl, path: req.url, params: (req.body ?? {}) as TwilioParams, signature });
      if (!ok) {
        req.log.warn({ security: 'twilio_bad_signature', url: req.url.split('?')[0], ip: req.ip }, 'refused Twilio webhook: bad or missing signature');
        return reply.status(403).type('text/plain').send('Forbidden: invalid X-Twilio-Signature');
      }
    });

    /**
     * Replies go back inside the response; they count as sent only once the response has been written out whole.
     * A redelivery (same MessageSid: Twilio did not get our answer) is answered with the same replies, from storage.
     */
    scope.post('/channels/twilio/sms', async (req, reply) => {
      const msg = smsToInbound(req.body as TwilioParams, deps.now());
      const result = await deps.intake.accept(msg, 'in_response');
      if (result.kind === 'deferred') return twiml(reply, smsTwiml(result.holding));
      const given = result.kind === 'replied' ? { replies: result.replies, ids: result.outboundIds } : await storedAnswer(deps, 'sms', msg.providerId);
      confirmOnceSent(deps, reply, given.ids);
      return twiml(reply, smsTwiml(given.replies));
    });

    scope.post<{ Querystring: { turn?: string; [NO_INPUT_PARAM]?: string } }>(VOICE, async (req, reply) => {
      const turn = Math.max(0, Math.min(500, Number.parseInt(req.query.turn ?? '0', 10) || 0));
      // A silent turn (Gather heard nothing) gets its own id so a later real answer on that step is not a "duplicate".
      const turnName = `${turn}${req.query[NO_INPUT_PARAM] ? ':silent' : ''}`;
      const msg = voiceTurnToInbound(req.body as TwilioParams, turnName, deps.now());
      const result = await deps.intake.accept(msg, 'in_response');
      if (result.kind === 'deferred') {
        // Nothing could be recorded: put the caller through to a person rather than lose them.
        return twiml(reply, voiceTwiml([{ ...HOLDING_REPLY, dial: true }], voiceOpts(turn + 1)));
      }
      // Twilio retried an action URL we already answered: say the same thing again rather than hang up.
      const given = result.kind === 'replied' ? { replies: result.replies, ids: result.outboundIds } : await storedAnswer(deps, 'voice', msg.providerId);
      confirmOnceSent(deps, reply, given.ids);
      return twiml(reply, voiceTwiml(given.replies.length ? given.replies : [{ text: '请讲。' }], voiceOpts(turn + 1)));
    });

    scope.post(`${VOICE}/dial-status`, async (req, reply) => {
      const p = parseVoiceParams(req.body as TwilioParams);
      await auditCall(deps.db, 'twilio.dial_status', p.CallSid, { status: p.DialCallStatus });
      if (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered') return twiml(reply, voiceTwiml([{ text: '', hangup: true }], voiceOpts(0)));
      // Nobody answered: take a message and leave a callback task for the duty officers.
      return twiml(reply, voiceTwiml([{ ...VOICEMAIL_PROMPT, dial: true }], { ...voiceOpts(0), dialNumbers: [] }));
    });

    scope.post(`${VOICE}/recording`, async (req, reply) => {
      const p = parseVoiceParams(req.body as TwilioParams);
      await openDutyTask(deps.db, {
        kind: 'voicemail',
        urgent: true,
        reason: '来电转值班人员无人接听，来电人留言，请尽快回电',
        contact: p.From,
        recordingUrl: p.RecordingUrl ?? null,
        at: deps.now(),
      });
      return twiml(reply, voiceTwiml([{ text: '您的留言已收到，我们会尽快给您回电。再见。', hangup: true }], voiceOpts(0)));
    });

    // The call placed to a duty officer when an urgent referral was not signed in time: speak the stored notice.
    scope.post(`${VOICE}/duty-alert`, async (req, reply) => {
      const p = parseVoiceParams(req.body as TwilioParams);
      const notice = await deps.db.message.findFirst({ where: { direction: 'outbound', channel: 'voice', providerId: p.CallSid }, select: { text: true } });
      const text = notice?.text ?? '有紧急转办件超时未签收，请立即登录系统处理。';
      return twiml(reply, voiceTwiml([{ text: `${text} 再说一遍。${text}`, hangup: true }], voiceOpts(0)));
    });

    scope.post('/channels/twilio/status', async (req, reply) => {
      const p = req.body as Record<string, string>;
      if (p.MessageSid && p.MessageStatus) {
        const status = ['failed', 'undelivered'].includes(p.MessageStatus) ? 'failed' : 'sent';
        await recordProviderStatus(deps.db, p.MessageSid, status, `Twilio ${p.MessageStatus} ${p.ErrorCode ?? ''}`.trim());
      } else if (p.CallSid) {
        await auditCall(deps.db, 'twilio.call_status', p.CallSid, { status: p.CallStatus, duration: p.CallDuration });
      }
      return reply.status(204).send();
    });
  });
}

function twiml(reply: FastifyReply, xml: string) {
  return reply.type(TWIML).send(xml);
}

/**
 * The replies the first delivery of a message got, from storage, waiting (briefly) for a turn still running. Nothing
 * when the turn has not finished in time: the recovery sweep finishes it and sends the replies through the API.
 */
async function storedAnswer(deps: Pick<TwilioRouteDeps, 'sql'>, channel: Channel, providerId: string): Promise<{ replies: Reply[]; ids: string[] }> {
  const deadline = Date.now() + REDELIVERY_WAIT_MS;
  for (;;) {
    const stored = await repliesTo(deps.sql, channel, providerId);
    if (stored?.processed) return { replies: stored.replies.map((r) => ({ text: r.text })), ids: stored.replies.map((r) => r.id) };
    if (!stored || Date.now() >= deadline) return { replies: [], ids: [] };
    await new Promise((resolve) => setTimeout(resolve, REDELIVERY_POLL_MS));
  }
}

/** Marks the replies sent once the response carrying them has been written out whole (not when it was cut off). */
function confirmOnceSent(deps: Pick<TwilioRouteDeps, 'sql' | 'background' | 'now'>, reply: FastifyReply, ids: string[]): void {
  if (ids.length === 0) return;
  reply.raw.once('finish', () => {
    if (reply.statusCode !== 200) return;
    deps.background.run('twilio.replies_sent', () => sentMarks(deps).mark(ids));
  });
}

/** How long replies handed over wait to be marked sent together: a busy hotline marks many responses in one statement. */
const MARK_SENT_BATCH_MS = 10;
const batches = new WeakMap<object, { mark(ids: string[]): Promise<void> }>();

/**
 * Marks replies sent in batches, one per route deps (one hotline): every response that went out within
 * MARK_SENT_BATCH_MS shares one UPDATE instead of a statement each. Only the `sent` mark waits; a reply never handed
 * over stays `in_response` for the recovery sweep, as before.
 */
function sentMarks(deps: Pick<TwilioRouteDeps, 'sql' | 'now'>) {
  let batcher = batches.get(deps);
  if (!batcher) {
    let pending: string[] = [];
    let flush: Promise<void> | undefined;
    batcher = {
      mark(ids) {
        pending.push(...ids);
        flush ??= new Promise((resolve) => setTimeout(resolve, MARK_SENT_BATCH_MS)).then(() => {
          const batch = pending;
          pending = [];
          flush = undefined;
          return markRepliesSent(deps.sql, batch, deps.now());
        });
        return flush;
      },
    };
    batches.set(deps, batcher);
  }
  return batcher;
}

async function auditCall(db: Db, action: string, entityId: string, after: Record<string, unknown>) {
  await audit.record(db, { actor: { type: 'system' }, action, entity: 'call', entityId, after });
}
