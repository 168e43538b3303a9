import type { FastifyInstance } from 'fastify';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import type { CategoryCode } from '../../domain/categories.js';
import { requireRole } from '../../staff/access.js';
import { addKeyPerson, listKeyPersons, readKeyPerson, revealKeyPerson } from '../../staff/key-persons.js';
import { localDate } from '../../staff/local-dates.js';
import { reportClue } from '../../staff/report-clue.js';
import { recordVisit } from '../../staff/visits.js';
import { filled, given, type ConsoleKit } from '../kit.js';
import { addPersonPage, cluePage, personPage, rosterPage } from '../views/discovery.js';

type Id = { Params: { id: string } };
type Form = Record<string, string | undefined>;
const UUID = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } };

export function registerDiscoveryPages(scope: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>, kit: ConsoleKit): void {
  scope.get('/clues/new', async (req, reply) => kit.send(reply, cluePage(kit.ctx(req, reply))));
  scope.post<{ Body: Form }>('/clues', async (req, reply) => {
    const staff = staffOf(req);
    const b = req.body ?? {};
    const made = await reportClue(
      { ...deps.referrals, cipher: deps.cipher, tracking: deps.tracking },
      {
        townshipCode: b.townshipCode ?? '',
        villageCode: given(b.villageCode),
        address: given(b.address),
        personName: given(b.personName),
        what: b.what ?? '',
        category: given(b.category) as CategoryCode | undefined,
        urgent: b.urgent === 'on',
        reporter: { name: given(b.reporterName) ?? staff.name, phone: given(b.reporterPhone), staffId: staff.id },
        channel: 'console',
      },
      deps.now(),
    );
    // The reporter may not see the township's referral (another unit's work); the case page is theirs only if in scope.
    return kit.done(reply, staff.role === 'agency_staff' ? '/console/clues/new' : `/console/cases/${made.trackingNumber}`, 'clue');
  });

  scope.get<{ Querystring: Form }>('/roster', async (req, reply) => {
    const staff = staffOf(req);
    requireRole(staff, ['township_staff', 'supervisor'], '重点人群花名册', 'see the key-person roster');
    return kit.send(reply, rosterPage(kit.ctx(req, reply), await listKeyPersons(deps, staff, filled(req.query), deps.now()), true));
  });
  scope.get('/roster/new', async (req, reply) => {
    requireRole(staffOf(req), ['township_staff', 'supervisor'], '维护重点人群花名册', 'keep the key-person roster');
    return kit.send(reply, addPersonPage(kit.ctx(req, reply)));
  });
  scope.post<{ Body: Form }>('/roster', async (req, reply) => {
    const { _csrf: _token, ...form } = filled(req.body);
    const person = await addKeyPerson(deps, staffOf(req), { ...form, category: form.category as CategoryCode, name: form.name ?? '' }, deps.now());
    return kit.done(reply, `/console/roster/${person.id}`, 'person');
  });
  scope.get<Id>('/roster/:id', { schema: { params: UUID } }, async (req, reply) =>
    kit.send(reply, personPage(kit.ctx(req, reply), await readKeyPerson(deps, staffOf(req), req.params.id, deps.now()), localDate(deps.directory, deps.now()))),
  );
  scope.post<Id & { Body: Form }>('/roster/:id/full', { schema: { params: UUID } }, async (req, reply) =>
    kit.send(reply, personPage(kit.ctx(req, reply), await revealKeyPerson(deps, staffOf(req), req.params.id, req.body?.reason, deps.now()), localDate(deps.directory, deps.now()))),
  );
  scope.post<Id & { Body: Form }>('/roster/:id/visits', { schema: { params: UUID } }, async (req, reply) => {
    await recordVisit(deps, staffOf(req), req.params.id, { visitedOn: req.body?.visitedOn ?? '', findings: req.body?.findings ?? '' }, deps.now());
    return kit.done(reply, `/console/roster/${req.params.id}`, 'visit');
  });
}
