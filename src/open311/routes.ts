import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { jsonSchema } from '../json-schema.js';
import { createTtlCache } from './cache.js';
import { findRequest, listRequests, RequestsQuery, type Open311Deps } from './requests.js';
import { listServices } from './services.js';

/** GeoReport v2 errors are a list of { code, description }. */
const georeportError = (reply: FastifyReply, code: number, description: string) => reply.status(code).send([{ code, description }]);

/**
 * Open311 GeoReport v2, read only and public: the service list and the requests staff marked public (no personal
 * data; see requests.ts for what is never published). JSON only. Answers are cached for OPEN311_CACHE_SECONDS.
 */
export function registerOpen311Routes(app: FastifyInstance, deps: Open311Deps & { config: Config }): void {
  // The list is cached as the bytes sent, so a poll costs neither a read nor serialising up to 1000 requests again.
  const lists = createTtlCache<Buffer>(deps.config.open311CacheMs);
  const ones = createTtlCache<Awaited<ReturnType<typeof findRequest>>>(deps.config.open311CacheMs);
  const ttlS = Math.floor(deps.config.open311CacheMs / 1000);
  app.register(async (scope) => {
    // Public and the same for everyone: shared caches may keep it as long as we do.
    scope.addHook('onSend', async (_req, reply, payload) => {
      if (reply.statusCode === 200) reply.header('cache-control', `public, max-age=${ttlS}`);
      return payload;
    });
    scope.setErrorHandler((err: { validation?: unknown; message: string; statusCode?: number }, req, reply) => {
      if (err.validation) return georeportError(reply, 400, err.message);
      req.log.error({ err }, 'open311 request failed');
      return georeportError(reply, 500, 'Something went wrong on our side; it has been logged.');
    });
    scope.get('/open311/v2/services.json', { schema: { tags: ['open311'], summary: 'GeoReport v2 服务列表（17类社会救助） / Service list' } }, async () => listServices(deps.directory));
    scope.get<{ Querystring: RequestsQuery }>(
      '/open311/v2/requests.json',
      { schema: { tags: ['open311'], summary: 'GeoReport v2 诉求列表（不含个人信息） / Published requests', querystring: jsonSchema(RequestsQuery) } },
      async (req, reply) => {
        const q = req.query;
        const key = JSON.stringify([q.service_request_id, q.service_code, q.start_date, q.end_date, q.status]);
        const json = await lists.get(key, async () => Buffer.from(JSON.stringify(await listRequests(deps, q))));
        return reply.type('application/json; charset=utf-8').send(json);
      },
    );
    scope.get<{ Params: { id: string } }>(
      '/open311/v2/requests/:id.json',
      { schema: { tags: ['open311'], summary: 'GeoReport v2 单个诉求 / One published request', params: { type: 'object', properties: { id: { type: 'string', maxLength: 40 } } } } },
      async (req, reply) => {
        const found = await ones.get(req.params.id, () => findRequest(deps, req.params.id));
        return found ? [found] : georeportError(reply, 404, `Service request ${req.params.id} was not found`);
      },
    );
  });
}
