import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { ProgressCase } from '../dialogs/state.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { CaseStatus } from '../generated/prisma/enums.js';
import { localParts } from '../referrals/clock/zone.js';
import { maskPhone } from '../privacy/personal-numbers.js';
import * as audit from '../audit/record.js';

const STATUS_TEXT: Record<CaseStatus, string> = {
  incomplete: '信息还不完整，工作人员会联系您补充',
  accepted: '已受理，正在转交承办单位',
  routed: '已转交承办单位，等待签收办理',
  in_progress: '承办单位正在办理',
  answered: '已办理完毕，结果已反馈',
  closed: '已办结',
  merged: '已与您的另一件申请合并办理',
  rejected: '不予受理，工作人员会告知原因',
};

const dateIn = (at: Date, tz: string) => localParts(at, tz).date;

/**
 * A resident's own cases in plain words, found by tracking number or by the
 * phone on the case plus the last 4 characters of the ID number (which a
 * stranger holding only the phone cannot guess). Newest first, at most 3.
 */
export async function progressOf(
  deps: { db: Db; directory: LoadedDirectory },
  q: { trackingNumber?: string; phone?: string; idLast4?: string },
): Promise<ProgressCase[]> {
  const where = q.trackingNumber
    ? { trackingNumber: q.trackingNumber }
    : q.phone && q.idLast4
      ? { phone: { endsWith: q.phone.replace(/^\+?86/, '') }, idNumberMasked: { endsWith: q.idLast4.toUpperCase() } }
      : undefined;
  if (!where) return [];
  const cases = await deps.db.case.findMany({
    where,
    orderBy: { createdAt: 'desc' },
    take: 3,
    // The paperwork after aid given first (补办手续) is the office's own business: its deadline is not the resident's next date.
    include: { referrals: { where: { status: { in: ['dispatched', 'signed', 'in_progress'] }, step: { not: 'paperwork' } }, orderBy: { dueAt: 'asc' }, take: 1 } },
  });
  const tz = deps.directory.directory.county.timezone;
  return cases.map((c) => {
    const next = c.referrals[0];
    return { trackingNumber: c.trackingNumber, statusText: STATUS_TEXT[c.status], ...(next ? { nextDate: dateIn(next.dueAt, tz) } : {}) };
  });
}

/** How many failed lookups a sender may make, and a case may be the target of, within the window. */
export type ProgressLimits = { maxFailures: number; windowS: number };

export type ProgressQuery = { trackingNumber?: string; phone?: string; idLast4?: string };

/** Found: the cases. Not found: try again. Blocked: too many failures for this sender or this case; a person must help. */
export type ProgressOutcome = { kind: 'found'; cases: ProgressCase[] } | { kind: 'not_found' } | { kind: 'blocked' };

type GuardDeps = { db: Db; directory: LoadedDirectory; redis: Redis; redisPrefix: string; limits: ProgressLimits };

/** Who is asking: the channel identity (one phone number or WeChat id) and the conversation it came in. */
export type Asker = { identityId: string; conversationId: string };

const national = (phone: string) => phone.replace(/^\+?86/, '');

/**
 * A progress lookup with its guessing limits. Each failure counts against the sender (its channel identity) and, for
 * a phone + last-4 lookup, against every case on that phone (so guessing from many numbers at one case is stopped
 * too); counters live in Redis for the window and each failure is audited. At the limit the lookup is blocked and
 * stays blocked for the rest of the window: the resident is told to call, where a person checks who they are.
 */
export async function lookupProgress(deps: GuardDeps, who: Asker, q: ProgressQuery, now: Date): Promise<ProgressOutcome> {
  const key = (kind: string, id: string) => `${deps.redisPrefix}:progress-fail:${kind}:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
  const senderKey = key('sender', who.identityId);
  const byPhone = !q.trackingNumber && !!q.phone && !!q.idLast4;
  // The cases a phone + last-4 guess aims at: every case on that phone.
  const targets = byPhone
    ? await deps.db.case.findMany({ where: { phone: { endsWith: national(q.phone!) } }, select: { id: true }, orderBy: { createdAt: 'desc' }, take: 20 })
    : [];
  const caseKeys = targets.map((c) => key('case', c.id));
  const counts = (await deps.redis.mget(senderKey, ...caseKeys)).map((v) => Number(v ?? 0));
  const trail = (action: string, after: Record<string, unknown>) =>
    audit.record(deps.db, {
      at: now,
      actor: { type: 'resident', id: who.identityId },
      action,
      entity: 'conversation',
      entityId: who.conversationId,
      caseId: targets.length === 1 ? targets[0]!.id : null,
      after: { by: byPhone ? 'phone_last4' : 'tracking_number', ...(q.phone ? { phone: maskPhone(national(q.phone)) } : {}), caseIds: targets.map((c) => c.id), ...after },
    });
  if (counts.some((n) => n >= deps.limits.maxFailures)) {
    await trail('progress.lookup_blocked', { senderFailures: counts[0], caseFailures: Math.max(0, ...counts.slice(1)) });
    return { kind: 'blocked' };
  }

  const cases = await progressOf(deps, q);
  if (cases.length > 0) return { kind: 'found', cases };

  const bump = deps.redis.multi();
  for (const k of [senderKey, ...caseKeys]) bump.incr(k).expire(k, deps.limits.windowS, 'NX');
  const after = ((await bump.exec()) ?? []).filter((_, i) => i % 2 === 0).map(([err, n]) => (err ? 0 : Number(n)));
  const senderFailures = after[0] ?? 0;
  const caseFailures = Math.max(0, ...after.slice(1));
  const blocked = senderFailures >= deps.limits.maxFailures || caseFailures >= deps.limits.maxFailures;
  await trail('progress.lookup_failed', { senderFailures, caseFailures, blocked });
  return blocked ? { kind: 'blocked' } : { kind: 'not_found' };
}
