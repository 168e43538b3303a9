import type { FastifyInstance } from 'fastify';
import { readCase } from '../../cases/read-case.js';
import { revealCase } from '../../staff/case-full-view.js';
import { bearer, jsonSchema, ReasonBody, TrackingParams } from './schema.js';
import { staffOf, type StaffSide } from './context.js';

type Tn = { Params: { trackingNumber: string } };

export function registerCaseRoutes(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  app.get<Tn>(
    '/api/v1/cases/:trackingNumber',
    { schema: { tags: ['cases'], summary: '案件（个人信息脱敏） / A case, personal data masked', description: '所有角色，范围内 / every role, within scope', params: TrackingParams, security: bearer } },
    async (req) => readCase(deps.db, staffOf(req), req.params.trackingNumber),
  );
  app.post<Tn & { Body: { reason: string } }>(
    '/api/v1/cases/:trackingNumber/full',
    {
      schema: {
        tags: ['cases'],
        summary: '查看完整个人信息（须填事由，留痕） / The case with ID number and phone in full; needs a reason, audited',
        description: '所有角色，范围内 / every role, within scope',
        params: TrackingParams,
        body: jsonSchema(ReasonBody),
        security: bearer,
      },
    },
    async (req) => revealCase(deps, staffOf(req), req.params.trackingNumber, req.body.reason, deps.now()),
  );
}
