import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from '../composition.js';
import { registerCaseRoutes } from './api/cases.js';
import { registerErrorHandler } from './error-handler.js';
import { registerHealthRoutes } from './health.js';

/** Builds the HTTP app from its dependencies. Never listens: main.ts does, tests use app.inject. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Twilio and WeCom send small bodies; anything larger is refused before parsing.
    bodyLimit: 256 * 1024,
    trustProxy: true,
    return503OnClosing: true,
  });
  registerErrorHandler(app);
  registerHealthRoutes(app, deps);
  registerCaseRoutes(app, deps);
  await app.ready();
  return app;
}
