import type { AuditEntry } from '../audit/record.js';
import type { Sql } from '../db/client.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';

/**
 * The same ID number under another name. Before a resident's application is submitted, the dialog asks whether the
 * number it was given is registered under another name (src/dialogs/flows/identity-check.ts); the runner answers with
 * `identityOnRecord`, a verdict only. The resident's answer comes back on the case (`IdentityCheckAnswer`) and decides
 * the merge: only "the same person" merges into the person's open matter and updates the name on record; otherwise
 * the case stays on its own, the earlier record is left as it was, and staff see a note to check who it is.
 */

export type IdentityVerdict = 'new' | 'same_name' | 'other_name';

/** What the dialog records on the case (the OpenCase effect's identityCheck). */
export type IdentityCheckAnswer = {
  /** The number on this case is registered under another name. */
  mismatch: boolean;
  /** The resident's answer; absent when they gave none (the conversation ended first). */
  answer?: 'same_person' | 'different_person' | 'unsure' | undefined;
  /** The number was said to be wrong and given again. */
  idRetold?: boolean | undefined;
};

/** Cases whose name says nothing of who holds the number. */
const NOT_EVIDENCE = ['rejected'] as const;
const MAX_NAMES = 20;

/** Names compared as written: spaces, middle dots and full stops in a name do not tell two people apart. */
const plain = (name: string) => name.replace(/[\s·•.。]/g, '');

/**
 * Is this ID number registered under another name? Looked up by the number's keyed hash, against the person on record
 * and the applicants of their cases, in one statement (plain SQL: it runs in a resident's turn). A verdict only: the
 * names on record never leave this function.
 */
export async function identityOnRecord(deps: { sql: Sql; cipher: PersonalDataCipher }, given: { idNumber: string; name: string }): Promise<IdentityVerdict> {
  const idNumberHash = deps.cipher.lookupHash(given.idNumber.toUpperCase());
  const { rows } = await deps.sql.query<{ resident: string | null; cases: (string | null)[] }>(
    `SELECT (SELECT name FROM "Resident" WHERE "idNumberHash" = $1) AS resident,
            ARRAY(SELECT "applicantName" FROM "Case"
                   WHERE "idNumberHash" = $1 AND "applicantName" IS NOT NULL AND status <> ALL($2::"CaseStatus"[])
                   ORDER BY "createdAt" DESC LIMIT $3) AS cases`,
    [idNumberHash, [...NOT_EVIDENCE], MAX_NAMES],
  );
  const names = [rows[0]?.resident, ...(rows[0]?.cases ?? [])].filter((n): n is string => !!n && plain(n) !== '');
  if (names.length === 0) return 'new';
  return names.some((n) => plain(n) === plain(given.name)) ? 'same_name' : 'other_name';
}

/** The resident did not say it is the same person: no merge, the earlier record left as it was, staff check. */
export function identityDisputed(check: IdentityCheckAnswer | undefined): boolean {
  return !!check?.mismatch && check.answer !== 'same_person';
}

/** The trail entry staff read as the case's note about the check (shown with the case, src/staff/case-view.ts). */
export const IDENTITY_CHECKED = 'case.identity_checked';

const ANSWER_TEXT = {
  same_person: '居民答复：是同一个人，姓名以本次为准',
  different_person: '居民答复：不是同一个人',
  unsure: '居民答复：不清楚',
} as const;

/** The note on the case in plain words (no name, no number). */
export function identityNote(check: IdentityCheckAnswer, mergedInto: string | undefined): string {
  if (!check.mismatch) return '居民先报的身份证号此前登记的姓名与本次不同，居民称身份证号说错了，已重新报号；新号码未发现姓名不一致。';
  const answer = check.answer ? ANSWER_TEXT[check.answer] : '居民未答复';
  const retold = check.idRetold ? '（居民曾重新报号）' : '';
  const outcome = identityDisputed(check)
    ? '未并单，单独办理，请核实身份证号和姓名。'
    : mergedInto
      ? `已并入${mergedInto}，请核对姓名。`
      : '未发现可并入的同一事项，请核对姓名。';
  return `身份证号此前登记的姓名与本次申请不同${retold}；${answer}。${outcome}`;
}

/** The trail entry of the check on a case, written beside its recording. */
export function identityCheckEntry(
  e: { caseId: string; identityId?: string | undefined; at: Date },
  check: IdentityCheckAnswer,
  mergedInto: string | undefined,
): AuditEntry {
  return {
    at: e.at,
    actor: { type: 'resident', id: e.identityId },
    action: IDENTITY_CHECKED,
    caseId: e.caseId,
    entity: 'case',
    entityId: e.caseId,
    after: { mismatch: check.mismatch, answer: check.answer ?? 'unanswered', idRetold: !!check.idRetold, merged: !!mergedInto },
    reason: identityNote(check, mergedInto),
  };
}
