import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { addKeyPerson, KeyPersonInput, listKeyPersons, overdueVisits, readKeyPerson, revealKeyPerson, RosterFilter } from '../../staff/key-persons.js';
import { ClueInput, reportClue } from '../../staff/report-clue.js';
import { recordVisit, VisitInput } from '../../staff/visits.js';
import { bearer, IdParams, jsonSchema, ReasonBody } from './schema.js';
import { staffOf, type StaffSide } from './context.js';

type Id = { Params: { id: string } };
const tags = ['discovery'];
/** The reporter is the signed-in staff member unless the clue names someone else (a village assistant on the phone). */
const ClueBody = ClueInput.omit({ reporter: true, channel: true }).extend({ reporter: ClueInput.shape.reporter.pick({ name: true, phone: true }).partial().optional() });
const ROSTER = '镇街工作人员（本镇街）、县级督办 / township_staff (own township), supervisor';

/** Active discovery (主动发现): clues, the key-person roster and the visit log. */
export function registerDiscoveryRoutes(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  app.post<{ Body: z.input<typeof ClueBody> }>(
    '/api/v1/clues',
    {
      schema: {
        tags,
        summary: '上报线索：生成“线索”案件并转镇街入户调查 / Report a clue: a clue case routed to the township for a home visit',
        description: '所有角色；报告人默认为当前登录人 / every role; the reporter defaults to the signed-in staff member',
        body: jsonSchema(ClueBody),
        security: bearer,
      },
    },
    async (req, reply) => {
      const staff = staffOf(req);
      const body = req.body;
      const made = await reportClue(
        { ...deps.referrals, cipher: deps.cipher, tracking: deps.tracking },
        { ...body, channel: 'console', reporter: { ...body.reporter, name: body.reporter?.name || staff.name, staffId: staff.id } },
        deps.now(),
      );
      return reply.status(201).send(made);
    },
  );
  app.get<{ Querystring: RosterFilter }>(
    '/api/v1/roster',
    { schema: { tags, summary: '重点人群花名册（脱敏） / Key-person roster, masked', description: ROSTER, querystring: jsonSchema(RosterFilter), security: bearer } },
    async (req) => listKeyPersons(deps, staffOf(req), req.query, deps.now()),
  );
  app.post<{ Body: KeyPersonInput }>(
    '/api/v1/roster',
    { schema: { tags, summary: '加入花名册 / Add a person to the roster', description: ROSTER, body: jsonSchema(KeyPersonInput), security: bearer } },
    async (req, reply) => reply.status(201).send(await addKeyPerson(deps, staffOf(req), req.body, deps.now()).then((p) => ({ id: p.id }))),
  );
  app.get('/api/v1/roster/overdue-visits', { schema: { tags, summary: '巡访逾期 / Visits that are late', description: ROSTER, security: bearer } }, async (req) =>
    overdueVisits(deps, staffOf(req), deps.now(), 200),
  );
  app.get<Id>('/api/v1/roster/:id', { schema: { tags, summary: '花名册人员和巡查记录 / A person and their visit log', description: ROSTER, params: IdParams, security: bearer } }, async (req) =>
    readKeyPerson(deps, staffOf(req), req.params.id, deps.now()),
  );
  app.post<Id & { Body: { reason: string } }>(
    '/api/v1/roster/:id/full',
    { schema: { tags, summary: '完整身份证号和电话（须填事由，留痕） / ID number and phone in full; audited', description: ROSTER, params: IdParams, body: jsonSchema(ReasonBody), security: bearer } },
    async (req) => revealKeyPerson(deps, staffOf(req), req.params.id, req.body.reason, deps.now()),
  );
  app.post<Id & { Body: VisitInput }>(
    '/api/v1/roster/:id/visits',
    { schema: { tags, summary: '记录巡访（巡查记录台账） / Record a visit', description: ROSTER, params: IdParams, body: jsonSchema(VisitInput), security: bearer } },
    async (req, reply) => reply.status(201).send(await recordVisit(deps, staffOf(req), req.params.id, req.body, deps.now())),
  );
}
