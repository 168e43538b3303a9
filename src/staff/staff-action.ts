import * as audit from '../audit/record.js';
import type { StaffPrincipal } from './principal.js';

/**
 * An entry of the trail about something a staff member did: `audit.record` with them as the actor, at `at`. The write
 * is returned unawaited, as `audit.record` returns it, so it can also stand in a transaction beside the change.
 */
export function recordStaffAction(db: audit.AuditWriter, staff: Pick<StaffPrincipal, 'id'>, at: Date, e: Omit<audit.AuditEntry, 'at' | 'actor'>) {
  return audit.record(db, { at, actor: { type: 'staff', id: staff.id }, ...e });
}
