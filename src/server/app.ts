import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerTwilioRoutes } from '../channels/twilio/routes.js';
import { registerWecomRoutes } from '../channels/wecom/routes.js';
import type { AppDeps } from '../http/ports.js';
import { registerStaffSide } from './staff-side.js';
import { answerFrameworkError, registerErrorHandler } from '../http/error-handler.js';
import { registerHealthRoutes } from '../http/health.js';
import { registerRateLimit } from '../http/rate-limit.js';
import { requestLogOptions } from '../http/request-log.js';

/** Builds the HTTP app from its dependencies. Never listens: main.ts does, tests use app.inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Twilio and WeCom send small bodies; anything larger is refused before parsing.
    bodyLimit: 256 * 1024,
    trustProxy: true,
    return503OnClosing: true,
    // An address fastify cannot decode (`%zz`) is refused before routing: told like every other refusal.
    frameworkErrors: answerFrameworkError,
    ...requestLogOptions(),
  });
  await app.register(formbody);
  await registerRateLimit(app, deps);
  registerErrorHandler(app);
  registerHealthRoutes(app, deps);
  await registerStaffSide(app, deps);
  const { config } = deps;
  if (config.twilio) {
    registerTwilioRoutes(app, {
      db: deps.db,
      sql: deps.sql,
      background: deps.background,
      logger: deps.logger,
      intake: deps.intake,
      authToken: config.twilio.authToken,
      publicBaseUrl: config.http.publicBaseUrl,
      dutyNumbers: deps.directory.directory.county.dutyPhones,
      now: deps.now,
    });
  }
  if (deps.wecomCrypto) {
    registerWecomRoutes(app, {
      crypto: deps.wecomCrypto,
      intake: deps.intake,
      deliver: deps.deliver,
      background: deps.background,
      redis: deps.redis,
      redisPrefix: config.redis.prefix,
      kf: deps.senders.wecomKf,
      now: deps.now,
    });
  }
  await app.ready();
  return app;
}
