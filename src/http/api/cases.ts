import type { FastifyInstance } from 'fastify';
import { readCase } from '../../cases/read-case.js';
import type { Deps } from '../../composition.js';
import { authenticateStaff } from '../auth.js';

export function registerCaseRoutes(app: FastifyInstance, deps: Pick<Deps, 'db'>): void {
  app.get<{ Params: { trackingNumber: string } }>(
    '/api/v1/cases/:trackingNumber',
    { schema: { params: { type: 'object', properties: { trackingNumber: { type: 'string', pattern: '^[0-9A-Za-z-]{4,40}$' } } } } },
    async (req) => {
      const staff = await authenticateStaff(deps.db, req);
      return readCase(deps.db, staff, req.params.trackingNumber);
    },
  );
}
