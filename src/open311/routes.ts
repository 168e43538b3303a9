import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../composition.js';
import { jsonSchema } from '../http/api/schema.js';
import { findRequest, listRequests, RequestsQuery } from './requests.js';
import { listServices } from './services.js';

/** GeoReport v2 errors are a list of { code, description }. */
const georeportError = (reply: FastifyReply, code: number, description: string) => reply.status(code).send([{ code, description }]);

/**
 * Open311 GeoReport v2, read only and public: the service list and published requests (no personal data; see
 * requests.ts for what is never published). JSON only.
 */
export function registerOpen311Routes(app: FastifyInstance, deps: Pick<Deps, 'db' | 'directory' | 'now'>): void {
  app.register(async (scope) => {
    scope.setErrorHandler((err: { validation?: unknown; message: string; statusCode?: number }, req, reply) => {
      if (err.validation) return georeportError(reply, 400, err.message);
      req.log.error({ err }, 'open311 request failed');
      return georeportError(reply, 500, 'Something went wrong on our side; it has been logged.');
    });
    scope.get('/open311/v2/services.json', { schema: { tags: ['open311'], summary: 'GeoReport v2 服务列表（17类社会救助） / Service list' } }, async () => listServices(deps.directory));
    scope.get<{ Querystring: RequestsQuery }>(
      '/open311/v2/requests.json',
      { schema: { tags: ['open311'], summary: 'GeoReport v2 诉求列表（不含个人信息） / Published requests', querystring: jsonSchema(RequestsQuery) } },
      async (req) => listRequests(deps, req.query),
    );
    scope.get<{ Params: { id: string } }>(
      '/open311/v2/requests/:id.json',
      { schema: { tags: ['open311'], summary: 'GeoReport v2 单个诉求 / One published request', params: { type: 'object', properties: { id: { type: 'string', maxLength: 40 } } } } },
      async (req, reply) => {
        const found = await findRequest(deps, req.params.id);
        return found ? [found] : georeportError(reply, 404, `Service request ${req.params.id} was not found`);
      },
    );
  });
}
