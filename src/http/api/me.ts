import type { FastifyInstance } from 'fastify';
import { ROLE_LABELS } from '../../staff/access.js';
import { bearer } from './schema.js';
import { staffOf, type StaffSide } from './context.js';

/** Who the token belongs to and which unit it is scoped to. */
export function registerMeRoute(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  app.get('/api/v1/me', { schema: { tags: ['staff'], summary: '当前登录人 / The signed-in staff member', description: '所有角色 / every role', security: bearer } }, async (req) => {
    const staff = staffOf(req);
    const d = deps.directory.directory;
    const township = d.townships.find((t) => deps.directory.townshipId(t.code) === staff.townshipId);
    const agency = d.agencies.find((a) => deps.directory.agencyId(a.code) === staff.agencyId);
    return { ...staff, roleLabel: ROLE_LABELS[staff.role], township: township ? { code: township.code, name: township.name } : null, agency: agency ? { code: agency.code, name: agency.name } : null };
  });
}
