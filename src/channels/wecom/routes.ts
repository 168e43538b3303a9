import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Background } from '../../background.js';
import type { InboundMessage } from '../../domain/messages.js';
import type { Deliver, Intake } from '../../intake/intake.js';
import { createInOrder } from '../../intake/in-order.js';
import { withLock } from '../../intake/lock.js';
import type { WecomApi } from './api.js';
import type { WecomCrypto } from './crypto.js';
import { WecomCryptoError, WecomXmlError } from './errors.js';
import { appMediaToInbound, appTextToInbound, isCustomerMessage, kfMessageToInbound } from './normalize.js';
import { MAX_XML_BYTES, parseMessage } from './xml.js';

export type WecomRouteDeps = {
  crypto: WecomCrypto;
  intake: Intake;
  deliver: Deliver;
  background: Background;
  redis: Redis;
  redisPrefix: string;
  /** Client holding the customer-service secret, for kf/sync_msg. */
  kf?: Pick<WecomApi, 'kfSyncMsg'>;
  now: () => Date;
};

type Signed = { msg_signature?: string; timestamp?: string; nonce?: string; echostr?: string };

/**
 * WeCom callback: URL verification (GET) and encrypted messages (POST) from the
 * self-built app (staff, village assistants) and WeChat customer service
 * (residents). WeCom is answered with an empty 200 as soon as the message is
 * stored; the turn runs afterwards and its replies go out through the API.
 */
export function registerWecomRoutes(app: FastifyInstance, deps: WecomRouteDeps): void {
  const inOrder = createInOrder();

  app.register(async (scope) => {
    scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: MAX_XML_BYTES }, (_req, body, done) => done(null, body));

    scope.setErrorHandler((err, req, reply) => {
      if (err instanceof WecomCryptoError) {
        req.log.warn({ security: `wecom_${err.code}`, ip: req.ip }, 'refused WeCom callback');
        return reply.status(403).type('text/plain').send(`Forbidden: ${err.code}`);
      }
      if (err instanceof WecomXmlError) return reply.status(400).type('text/plain').send(`Bad request: ${err.message}`);
      throw err;
    });

    scope.get<{ Querystring: Signed }>('/channels/wecom/callback', async (req, reply) => {
      const q = req.query;
      const plain = deps.crypto.verifyUrl({ msg_signature: q.msg_signature ?? '', timestamp: q.timestamp ?? '', nonce: q.nonce ?? '', echostr: q.echostr ?? '' });
      return reply.type('text/plain').send(plain);
    });

    scope.post<{ Querystring: Signed; Body: string }>('/channels/wecom/callback', async (req, reply) => {
      if (typeof req.body !== 'string') return reply.status(415).type('text/plain').send('Unsupported Media Type: send text/xml');
      const q = req.query;
      const { xml } = deps.crypto.openMessage({ msg_signature: q.msg_signature ?? '', timestamp: q.timestamp ?? '', nonce: q.nonce ?? '', body: req.body });
      const message = parseMessage(xml);
      const now = deps.now();
      switch (message.kind) {
        case 'text':
          await acceptAndReply(appTextToInbound(message, now));
          break;
        case 'media':
          await acceptAndReply(appMediaToInbound(message, now));
          break;
        case 'kf_event':
          deps.background.run('wecom.kf_sync', () => syncKf(message.OpenKfId, message.Token));
          break;
        case 'unsupported':
          req.log.info({ msgType: message.MsgType, event: message.Event }, 'WeCom callback of a kind the hotline does not handle');
          break;
      }
      return reply.type('text/plain').send('');
    });
  });

  /** Messages stored here whose turn is queued or running in this process (inOrder takes them in order). */
  const local = new Set<string>();

  /**
   * Stores the message before WeCom hears back; its turn and reply follow, one sender's messages in order. In this
   * process inOrder keeps the order; an earlier message of the sender that another process stored and has not
   * answered yet (several processes behind a balancer) is answered first, here (intake.catchUp).
   */
  async function acceptAndReply(msg: InboundMessage) {
    const stored = await deps.intake.store(msg);
    if (stored.kind !== 'stored') return;
    local.add(stored.messageId);
    deps.background.run('wecom.turn', () =>
      inOrder
        .run(msg.sender, async () => {
          const elsewhere = stored.waiting.filter((id) => !local.has(id));
          // Should that fail, this message is still answered; the earlier one stays for its process or the recovery sweep.
          if (elsewhere.length > 0) await deps.intake.catchUp(elsewhere).catch(() => undefined);
          const result = await stored.turn();
          if (result.kind === 'replied') await deps.deliver(msg, result);
        })
        .finally(() => local.delete(stored.messageId)),
    );
  }

  /** Pulls new customer-service messages from the saved cursor; serialised per kf account. */
  async function syncKf(openKfId: string, token: string) {
    const kf = deps.kf;
    if (!kf) throw new Error('WeChat customer service event received but WECOM_KF_SECRET/WECOM_SECRET is not configured');
    const cursorKey = `${deps.redisPrefix}:kf:cursor:${openKfId}`;
    await withLock(deps.redis, `${cursorKey}:lock`, async () => {
      let cursor = (await deps.redis.get(cursorKey)) ?? undefined;
      for (let page = 0; page < 20; page += 1) {
        const batch = await kf.kfSyncMsg({ cursor, token, openKfId, limit: 1000 });
        for (const m of batch.msgList.filter(isCustomerMessage)) {
          const msg = kfMessageToInbound(m, deps.now());
          const result = await deps.intake.accept(msg);
          if (result.kind === 'replied') await deps.deliver(msg, result);
        }
        if (batch.nextCursor) {
          cursor = batch.nextCursor;
          await deps.redis.set(cursorKey, cursor);
        }
        if (!batch.hasMore) break;
      }
    }, { ttlMs: 60_000, waitMs: 30_000 });
  }
}
