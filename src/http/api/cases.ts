import type { FastifyInstance } from 'fastify';
import { readCase } from '../../staff/case-view.js';
import { revealCase } from '../../staff/case-full-view.js';
import { setCasePublished } from '../../staff/publish-case.js';
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
        summary: '查看完整个人信息：身份证号、电话和回电号码（须填事由，留痕） / The case with ID number, phone and callback numbers in full; needs a reason, audited',
        description: '所有角色，范围内 / every role, within scope',
        params: TrackingParams,
        body: jsonSchema(ReasonBody),
        security: bearer,
      },
    },
    async (req) => revealCase(deps, staffOf(req), req.params.trackingNumber, req.body.reason, deps.now()),
  );
  app.put<Tn & { Body: { published: boolean } }>(
    '/api/v1/cases/:trackingNumber/published',
    {
      schema: {
        tags: ['cases'],
        summary: '在公开诉求列表（Open311）中公开或撤回（留痕；涉未成年人案件不得公开） / Show or hide the case in the public Open311 list; audited, never for minors',
        description: '县级督办 / supervisors',
        params: TrackingParams,
        body: { type: 'object', required: ['published'], additionalProperties: false, properties: { published: { type: 'boolean' } } },
        security: bearer,
      },
    },
    async (req) => setCasePublished(deps, staffOf(req), { trackingNumber: req.params.trackingNumber, published: req.body.published }, deps.now()),
  );
}
