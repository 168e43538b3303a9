import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../ports.js';
import type { StaffSessions } from '../../staff/sessions.js';
import type { StaffPrincipal } from '../../staff/principal.js';
import { authenticateStaff, tokenPolicyOf } from '../auth.js';

/** What the staff API and console routes are built from: the composition root's deps and the console sessions. */
export type StaffSide = {
  deps: AppDeps;
  sessions: StaffSessions;
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, set by the API's bearer check or the console's session check. */
    staff: StaffPrincipal | null;
  }
}

/** The principal of an authenticated request; routes are only reached after the scope's auth hook set it. */
export function staffOf(req: FastifyRequest): StaffPrincipal {
  if (!req.staff) throw new Error('route reached without an authenticated staff member: register it under the auth hook');
  return req.staff;
}

/** Every route registered in `scope` requires a bearer token; the check runs before the body is read. */
export function requireBearer(scope: FastifyInstance, deps: Pick<AppDeps, 'db' | 'config' | 'now'>): void {
  const policy = tokenPolicyOf(deps);
  scope.decorateRequest('staff', null);
  scope.addHook('onRequest', async (req) => {
    req.staff = await authenticateStaff(deps.db, req, policy);
  });
}
