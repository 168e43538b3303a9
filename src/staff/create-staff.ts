import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { StaffRole } from '../generated/prisma/enums.js';
import * as audit from '../audit/record.js';

export const NewStaff = z
  .object({
    name: z.string().trim().min(1, 'name is required'),
    role: z.enum(StaffRole),
    township: z.string().optional(),
    agency: z.string().optional(),
    wecomUserId: z.string().optional(),
    phone: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.role === 'township_staff' && !s.township) ctx.addIssue({ code: 'custom', path: ['township'], message: 'township staff need --township CODE or NAME' });
    if (s.role === 'agency_staff' && !s.agency) ctx.addIssue({ code: 'custom', path: ['agency'], message: 'agency staff need --agency CODE or NAME' });
  });
export type NewStaff = z.input<typeof NewStaff>;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

type UnitTable = { findMany(args: { select: { id: true; code: true; name: true }; orderBy: { code: 'asc' } }): Promise<{ id: string; code: string; name: string }[]> };

/**
 * A township or agency named by its code (zaoyuan) or its name (枣园镇, or 枣园 without 镇/街道/乡); unknown, the
 * error lists every valid one, so the operator can copy it.
 */
async function findUnit(table: UnitTable, given: string, what: string, whatEn: string): Promise<{ id: string }> {
  const units = await table.findMany({ select: { id: true, code: true, name: true }, orderBy: { code: 'asc' } });
  const g = given.trim();
  const bare = (name: string) => name.replace(/(街道办事处|街道|镇|乡)$/, '');
  const found = units.find((u) => u.code === g) ?? units.find((u) => u.code.toLowerCase() === g.toLowerCase()) ?? units.find((u) => u.name === g) ?? units.find((u) => bare(u.name) === bare(g));
  if (found) return found;
  const list = units.map((u) => `${u.code}（${u.name}）`).join('、');
  throw new AppError(`unknown_${whatEn}`, `没有编码或名称为“${g}”的${what}。可用的${what}：${list} / No ${whatEn} with code "${g}" nor a name like it; valid codes: ${units.map((u) => u.code).join(', ')}`);
}

/** Creates a staff user and returns the bearer token, which is shown this once and stored only as a hash. */
export async function createStaff(db: Db, input: NewStaff): Promise<{ id: string; token: string }> {
  const parsed = NewStaff.safeParse(input);
  if (!parsed.success) {
    throw new AppError('staff_invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'staff'}: ${i.message}`).join('; '));
  }
  const s = parsed.data;
  const township = s.township ? await findUnit(db.township, s.township, '镇街', 'township') : null;
  const agency = s.agency ? await findUnit(db.agency, s.agency, '部门', 'agency') : null;
  const token = `hl_${randomBytes(24).toString('base64url')}`;
  const staff = await db.staffUser.create({
    data: {
      name: s.name,
      role: s.role,
      townshipId: township?.id ?? null,
      agencyId: agency?.id ?? null,
      wecomUserId: s.wecomUserId ?? null,
      phone: s.phone ?? null,
      tokenHash: hashToken(token),
    },
  });
  await audit.record(db, { actor: { type: 'system' }, action: 'staff.created', entity: 'staff', entityId: staff.id, after: { name: s.name, role: s.role, township: s.township, agency: s.agency } });
  return { id: staff.id, token };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ends a staff member's token at once (a lost laptop, someone leaving): the API refuses it, the console sign-in
 * refuses it, and their open console sessions end on their next request. Audited. The account stays, with its history.
 */
export async function revokeStaffToken(db: Db, input: { id: string }, now: Date): Promise<{ id: string; name: string; revokedAt: string }> {
  const staff = UUID.test(input.id) ? await db.staffUser.findUnique({ where: { id: input.id } }) : null;
  if (!staff) throw new AppError('unknown_staff', `No staff user with id "${input.id}": the id is the one \`hotline staff add\` printed`);
  await db.staffUser.update({ where: { id: staff.id }, data: { tokenExpiresAt: now } });
  await audit.record(db, {
    at: now,
    actor: { type: 'system' },
    action: 'staff.token_revoked',
    entity: 'staff',
    entityId: staff.id,
    before: { tokenExpiresAt: staff.tokenExpiresAt?.toISOString() ?? null },
    after: { tokenExpiresAt: now.toISOString() },
  });
  return { id: staff.id, name: staff.name, revokedAt: now.toISOString() };
}
