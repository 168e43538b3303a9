import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { unauthorized } from '../errors.js';
import { hashToken } from '../staff/create-staff.js';

export type StaffPrincipal = {
  id: string;
  name: string;
  role: 'supervisor' | 'duty_officer' | 'township_staff' | 'agency_staff';
  townshipId: string | null;
  agencyId: string | null;
};

/** Resolves the bearer token to an active staff member, or refuses with 401. */
export async function authenticateStaff(db: Db, req: FastifyRequest): Promise<StaffPrincipal> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized();
  const staff = await db.staffUser.findUnique({ where: { tokenHash: hashToken(match[1]) } });
  if (!staff || !staff.active) throw unauthorized();
  return { id: staff.id, name: staff.name, role: staff.role, townshipId: staff.townshipId, agencyId: staff.agencyId };
}
