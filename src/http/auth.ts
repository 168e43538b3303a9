// Brings in request.cookies, which @fastify/cookie adds.
import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { AppError, unauthorized } from '../errors.js';
import type { StaffUser } from '../generated/prisma/client.js';
import { hashToken } from '../staff/create-staff.js';
import type { StaffPrincipal } from '../staff/principal.js';
import type { StaffSessions } from '../staff/sessions.js';

/** The console's session cookie: an opaque id, the session itself lives in Redis. */
export const SESSION_COOKIE = 'hotline_staff';

/** What a console CSRF token is bound to: the session id (none before signing in). */
export const csrfUserInfo = (sessionId: string | undefined) => `session:${sessionId ?? ''}`;

const principal = (s: StaffUser): StaffPrincipal => ({ id: s.id, name: s.name, role: s.role, townshipId: s.townshipId, agencyId: s.agencyId });

/** How long a staff token works: STAFF_TOKEN_DAYS from when it was issued, or until it is revoked, whichever is first. */
export type TokenPolicy = { tokenDays: number; now: () => Date };

export const tokenPolicyOf = (deps: { config: { staffTokenDays: number }; now: () => Date }): TokenPolicy => ({ tokenDays: deps.config.staffTokenDays, now: deps.now });

/** Active, and its token neither past STAFF_TOKEN_DAYS since it was issued nor revoked (`hotline staff revoke`). */
function usable(s: StaffUser, policy: TokenPolicy): boolean {
  const now = policy.now().getTime();
  const expires = Math.min(s.createdAt.getTime() + policy.tokenDays * 86_400_000, s.tokenExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
  return s.active && now < expires;
}

/** The active staff member a token from `hotline staff add` belongs to, if the token still works. */
export async function staffByToken(db: Db, token: string, policy: TokenPolicy): Promise<StaffPrincipal | undefined> {
  const staff = await db.staffUser.findUnique({ where: { tokenHash: hashToken(token.trim()) } });
  return staff && usable(staff, policy) ? principal(staff) : undefined;
}

/** Resolves the bearer token to an active staff member whose token still works, or refuses with 401. */
export async function authenticateStaff(db: Db, req: FastifyRequest, policy: TokenPolicy): Promise<StaffPrincipal> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized();
  const staff = await staffByToken(db, match[1], policy);
  if (!staff) throw unauthorized();
  return staff;
}

const signedOut = () => new AppError('signed_out', '请先登录工作台 / Sign in to the console first: your session has ended or you are not signed in', 401);

/**
 * Resolves the console session cookie to an active staff member, or refuses with 401 (`signed_out`). A session
 * lasts no longer than the token it was opened with: expiry or revocation ends it too.
 */
export async function authenticateSession(deps: { db: Db; sessions: StaffSessions; policy: TokenPolicy }, req: FastifyRequest): Promise<StaffPrincipal> {
  const sessionId = req.cookies?.[SESSION_COOKIE];
  const staffId = sessionId ? await deps.sessions.staffIdOf(sessionId) : undefined;
  const staff = staffId ? await deps.db.staffUser.findUnique({ where: { id: staffId } }) : null;
  if (!staff || !usable(staff, deps.policy)) throw signedOut();
  return principal(staff);
}
