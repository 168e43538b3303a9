import * as audit from '../audit/record.js';
import type { Tx } from './outbound.js';
import type { Actor } from './ports.js';

type Snapshot = Record<string, unknown>;

type ReferralEvent = { at: Date; actor: Actor; action: string; referral: { id: string; caseId: string }; before?: Snapshot; after?: Snapshot; reason?: string };

/** The trail entry about a referral, for writing now (recordReferralEvent) or in a batch (audit.recordSql). */
export function referralEntry(e: ReferralEvent): audit.AuditEntry {
  const { referral, ...event } = e;
  return { ...event, entity: 'referral', entityId: referral.id, caseId: referral.caseId, referralId: referral.id };
}

/** One entry of a referral's trail (环环有痕迹、步步能倒查), written by the one audit recorder. */
export async function recordReferralEvent(tx: Tx, e: ReferralEvent): Promise<void> {
  await audit.record(tx, referralEntry(e));
}
