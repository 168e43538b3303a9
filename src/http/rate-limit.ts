import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { smsTwiml, voiceTwiml } from '../channels/twilio/twiml.js';
import type { AppDeps } from './ports.js';

/**
 * Per-sender limits on the webhooks residents drive, counted in the app's Redis
 * so every HTTP process shares one count. Twilio requests are counted per
 * caller (From); WeCom bodies are encrypted, so those are counted per source IP
 * with a much larger allowance (every callback comes from Tencent's servers).
 *
 * The check runs as a route-level preHandler, after the channel's own signature
 * check: a forged request never reaches it, so nobody can spend a resident's
 * allowance by forging their number. If Redis is unreachable the request is let
 * through: a resident must never lose a message because the limiter cannot count.
 */

const WINDOW_MS = 60_000;

const SMS_LIMITED = '您发送消息过于频繁，请一分钟后再发。如遇生命危险，请立即拨打110、120或119。';
const VOICE_LIMITED = '您的来电过于频繁，请稍后再拨。如有生命危险，请马上拨打一一零、一二零或一一九。';

type Kind = 'twilio_sms' | 'twilio_voice' | 'wecom';

/** Which limit a route gets; status callbacks report on our own sends (From is our number), so they are not counted. */
function kindOf(url: string | undefined): Kind | undefined {
  if (url === '/channels/twilio/sms') return 'twilio_sms';
  if (url?.startsWith('/channels/twilio/voice')) return 'twilio_voice';
  if (url === '/channels/wecom/callback') return 'wecom';
  return undefined;
}

/** Registers the limiter; call it before the channel routes are registered, so their routes get the guard. */
export async function registerRateLimit(app: FastifyInstance, deps: Pick<AppDeps, 'redis' | 'config' | 'cipher'>): Promise<void> {
  const { perSender, wecomPerIp } = deps.config.rateLimit;
  // Keyed hash: the Redis key must not reveal the caller's number.
  const senderKey = (req: FastifyRequest) => {
    const p = (req.body ?? {}) as Record<string, unknown>;
    // A withheld caller ID arrives empty: count that call by itself rather than every anonymous caller together.
    const who = [p.From, p.CallSid].find((v): v is string => typeof v === 'string' && v.length > 0) ?? req.ip;
    return `sender:${deps.cipher.lookupHash(who).slice(0, 32)}`;
  };
  const keyOf = (req: FastifyRequest) => (kindOf(req.routeOptions.url) === 'wecom' ? `ip:${req.ip}` : senderKey(req));

  await app.register(rateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${deps.config.redis.prefix}:rl:`,
    timeWindow: WINDOW_MS,
    skipOnError: true,
    keyGenerator: keyOf,
    max: (_req, key) => (key.startsWith('ip:') ? wecomPerIp : perSender),
  });
  const count = app.createRateLimit();
  const guard: preHandlerAsyncHookHandler = async function (req, reply) {
    const result = await count(req);
    if (result.isAllowed || !result.isExceeded) return;
    req.log.warn({ security: 'rate_limited', route: req.routeOptions.url, by: result.key.split(':')[0], retryAfterS: result.ttlInSeconds }, 'webhook refused: sender over its rate limit');
    return refuse(reply, kindOf(req.routeOptions.url), result.ttlInSeconds);
  };
  app.addHook('onRoute', (route) => {
    const kind = kindOf(route.url);
    if (!kind || (kind === 'wecom' ? wecomPerIp : perSender) === 0) return;
    const existing = route.preHandler;
    route.preHandler = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), guard];
  });
}

function refuse(reply: FastifyReply, kind: Kind | undefined, retryAfterS: number) {
  reply.status(429).header('retry-after', retryAfterS);
  if (kind === 'twilio_sms') return reply.type('text/xml; charset=utf-8').send(smsTwiml([{ text: SMS_LIMITED }]));
  if (kind === 'twilio_voice') return reply.type('text/xml; charset=utf-8').send(voiceTwiml([{ text: VOICE_LIMITED, hangup: true }], { actionUrl: '' }));
  return reply.type('text/plain; charset=utf-8').send(`请求过于频繁，请${retryAfterS}秒后再试 / rate_limited: retry after ${retryAfterS} s`);
}
