import { v7 as uuidv7 } from 'uuid';
import * as audit from '../audit/record.js';
import type { AuditEntry } from '../audit/record.js';
import type { Sql } from '../db/client.js';
import { SqlParams } from '../db/statement.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { Logger } from '../logging.js';
import { stageOutboundSql } from '../messages/message-outbox.js';
import type { TrackingNumbers } from '../domain/tracking-number.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { afterCommit } from '../referrals/after-commit.js';
import { checkedPlan, referredEntry } from '../referrals/create.js';
import { draftDispatch, insertDispatchedSql, type DispatchDraft } from '../referrals/dispatch.js';
import type { ReferralDeps } from '../referrals/ports.js';
import type { LlmClassifier } from '../routing/llm.js';
import { relatedCasesSql, relatedFrom } from './duplicates.js';
import { linkCasesSql, linkIdentitySql, prepareCase, upsertResidentSql, writeCaseSql, type CaseRow, type OpenCaseInput } from './open-case.js';
import { classifyCase, mergedEntry, planCase, routedEntry, urgentFlagReason, type RouteCaseDeps } from './route-case.js';
import { nextTrackingValueSql, trackingNumberOf } from './tracking-number.js';

export type ConfirmCaseDeps = {
  sql: Sql;
  cipher: PersonalDataCipher;
  tracking: TrackingNumbers;
  directory: LoadedDirectory;
  logger: Logger;
  llm?: LlmClassifier;
  now: () => Date;
  /** The referral side: the county calendar for deadlines, the WeCom agent for notices, the job seams. */
  referrals: Pick<ReferralDeps, 'directory' | 'calendar' | 'config' | 'logger' | 'timers' | 'outbox'>;
  /** Flags a case a duty officer must see now. */
  flagUrgent: RouteCaseDeps['flagUrgent'];
  /**
   * Routes a case this message opened on an earlier try but never routed (a turn replayed after a failure, a case
   * opened before cases were opened and routed at once), step by step (routeCase).
   */
  routeStored: (caseId: string) => Promise<{ mergedInto?: string }>;
};

export type ConfirmedCase = { id: string; trackingNumber: string; mergedInto?: string };

type Read = {
  existing: { id: string; trackingNumber: string; status: string; mergedInto: string | null; referred: boolean } | null;
  earlier: { id: string; trackingNumber: string; residentId: string | null } | null;
  counter: number | null;
  related: { id: string; trackingNumber: string; categories: string[]; status: string }[];
};

/**
 * Opens, classifies and routes the case a resident has just confirmed, in one transaction and two round trips: one
 * statement reads what the decision needs (a case this message opened already, the earlier incomplete case this one
 * completes, the person's other cases) and takes the day's next tracking number; then, with the classification, the
 * referral plan, deadlines, timers, notices and trail entries worked out in memory, one statement writes it all (the
 * resident, the case, its links, referrals, timer rows, staged notices, audit entries), all or nothing. The rows, the
 * trail, the jobs and the answer are those of openCase followed by routeCase; only a counter value whose case then failed
 * to be written is skipped, never repeated.
 */
export async function openConfirmedCase(deps: ConfirmCaseDeps, raw: OpenCaseInput, at: Date): Promise<ConfirmedCase> {
  const prepared = prepareCase({ cipher: deps.cipher, directory: deps.directory, now: at }, raw);
  const { input, fields } = prepared;
  if (!input.complete) throw new Error('openConfirmedCase records confirmed cases; a partial record is kept by openCase');

  const r = new SqlParams();
  const related = relatedCasesSql(r, fields, at, '(SELECT id FROM earlier)');
  const reading = deps.sql.query<Read>(
    `WITH existing AS (
       SELECT c.id, c."trackingNumber", c.status::text AS status, m."trackingNumber" AS "mergedInto", EXISTS (SELECT 1 FROM "Referral" x WHERE x."caseId" = c.id) AS referred
         FROM "Case" c LEFT JOIN "Case" m ON m.id = c."mergedIntoId" WHERE c."openedByMessageId" = ${r.add(input.openedByMessageId ?? null)}::uuid),
     earlier AS (
       SELECT id, "trackingNumber", "residentId" FROM "Case"
        WHERE "trackingNumber" = ${r.add(input.completes ?? null)} AND status = 'incomplete' AND NOT EXISTS (SELECT 1 FROM existing)),
     counter AS (${nextTrackingValueSql(r, prepared.day, 'NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM earlier)')}),
     related AS (${related ?? 'SELECT NULL::uuid AS id, NULL AS "trackingNumber", NULL::text[] AS categories, NULL AS status, NULL::timestamp AS "createdAt" WHERE false'})
     SELECT (SELECT to_jsonb(e) FROM existing e) AS existing, (SELECT to_jsonb(x) FROM earlier x) AS earlier, (SELECT value FROM counter) AS counter,
            (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'trackingNumber', "trackingNumber", 'categories', categories, 'status', status) ORDER BY "createdAt" DESC), '[]'::jsonb) FROM related) AS related`,
    r.values,
  );
  // Classify while PostgreSQL answers (CPU beside I/O); a replayed turn's classification is simply not used.
  const routing = classifyCase(deps, { type: fields.type, reason: fields.reason, emergency: fields.emergency, classification: null, categories: fields.categories, urgent: fields.urgent });
  routing.catch(() => undefined); // awaited below; a failed read must not leave it unhandled
  const read = (await reading).rows[0]!;
  const { classification, categories, urgent } = await routing;

  const existing = read.existing;
  if (existing) {
    if (existing.status === 'merged') return { id: existing.id, trackingNumber: existing.trackingNumber, ...(existing.mergedInto ? { mergedInto: existing.mergedInto } : {}) };
    if (existing.referred) return { id: existing.id, trackingNumber: existing.trackingNumber };
    return { id: existing.id, trackingNumber: existing.trackingNumber, ...(await deps.routeStored(existing.id)) };
  }
  const earlier = read.earlier;
  const caseId = earlier?.id ?? uuidv7();
  const trackingNumber = earlier?.trackingNumber ?? trackingNumberOf(deps.tracking, prepared.day, read.counter ?? 1);
  const now = deps.now();
  const others = relatedFrom(read.related, categories);
  const same = others.find((x) => x.sameMatter);
  // The resident did not say the person on record under this ID number is them: their case stays on its own.
  const merged = same && !urgent && !prepared.disputed ? same : undefined;

  const checked = prepared.identityEntry(caseId, merged?.trackingNumber);
  const entries: AuditEntry[] = [prepared.entry(caseId, trackingNumber, !!earlier), ...(checked ? [checked] : [])];
  const row: CaseRow = {
    ...fields,
    id: caseId,
    trackingNumber,
    openedByMessageId: input.openedByMessageId ?? null,
    createdAt: at,
    categories,
    classification,
    status: merged ? 'merged' : 'routed',
    mergedIntoId: merged?.id ?? null,
    urgent: merged ? fields.urgent : urgent,
    urgentReason: merged ? fields.urgentReason : (fields.urgentReason ?? classification.urgentReason ?? null),
  };
  let drafts: DispatchDraft[] = [];
  if (merged) {
    entries.push(mergedEntry(caseId, merged.trackingNumber, now));
  } else {
    const planned = checkedPlan(planCase(deps.directory, { type: fields.type, townshipCode: input.applicant.townshipCode ?? null }, classification), trackingNumber);
    const actor = { type: 'system' } as const;
    drafts = planned.map((plan, i) =>
      draftDispatch(deps.referrals, { caseId, caseTownshipId: fields.townshipId, trackingNumber: `${trackingNumber}-${i + 1}`, planned: plan, urgent, now, actor }),
    );
    entries.push(
      routedEntry(deps.directory, caseId, { categories, urgent, classification, planned, related: others }, now),
      ...drafts.map((d) => d.audit),
      referredEntry({ caseId, caseType: fields.type, urgent, now }, drafts.map((d) => d.row.trackingNumber), actor),
    );
  }
  const messages = drafts.flatMap((d) => d.messages);

  const w = new SqlParams();
  const parts: string[] = [];
  let residentId = 'NULL::uuid';
  if (prepared.resident) {
    parts.push(`res AS (${upsertResidentSql(w, prepared.resident)})`);
    residentId = '(SELECT id FROM res)';
    if (input.identityId && !prepared.disputed) parts.push(`ident AS (${linkIdentitySql(w, input.identityId, residentId)})`);
  }
  if (earlier?.residentId) residentId = `COALESCE(${residentId}, ${w.add(earlier.residentId)}::uuid)`;
  parts.push(`c AS (${writeCaseSql(w, row, residentId, earlier?.id)})`);
  if (!merged && others.length > 0) parts.push(`links AS (${linkCasesSql(w, caseId, others.map((x) => ({ toId: x.id, kind: prepared.disputed ? 'unconfirmed_person' : x.sameMatter ? 'same_matter' : 'same_person' })))})`);
  if (drafts.length > 0) {
    const dispatched = insertDispatchedSql(w, drafts);
    parts.push(`refs AS (${dispatched.referrals})`, `timers AS (${dispatched.timers})`);
  }
  if (messages.length > 0) parts.push(`notices AS (${stageOutboundSql(w, messages, now)})`);
  parts.push(`trail AS (${audit.recordSql(w, entries)})`);
  try {
    // One statement, one transaction. The division fails it whole when the earlier case was no longer incomplete.
    await deps.sql.query(`WITH ${parts.join(',\n     ')}\n     SELECT 1 / (SELECT count(*)::int FROM c) AS written`, w.values);
  } catch (err) {
    if ((err as { code?: string }).code === '22012') throw new Error(`case ${earlier?.trackingNumber} was completed meanwhile; not written again`);
    throw err;
  }

  if (merged) return { id: caseId, trackingNumber, mergedInto: merged.trackingNumber };
  const referrals = drafts.map((d) => d.row.trackingNumber);
  deps.logger.info({ case: trackingNumber, referrals }, 'referrals dispatched');
  await afterCommit(deps.referrals, { trackingNumber, timers: { armed: drafts.flatMap((d) => d.timers), disarmed: [] }, messageKeys: messages.map((m) => m.key), created: true });
  const flag = urgentFlagReason(classification, fields.urgent, urgent);
  if (flag) await deps.flagUrgent({ caseId, reason: flag });
  return { id: caseId, trackingNumber };
}
