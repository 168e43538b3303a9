import type { StaffDeps } from './ports.js';
import type { Conversation } from '../generated/prisma/client.js';
import type { StaffPrincipal } from './principal.js';
import { runDialog } from '../intake/dialog-runner.js';
import { findConversation, requireHolding } from './conversation-hold.js';
import { residentEndpoint } from './reply-to-resident.js';
import { recordStaffAction } from './staff-action.js';
import { finishConversationTasks } from '../duty/tasks.js';

type ReleaseDeps = Pick<StaffDeps, 'db' | 'deliver' | 'turnDeps'>;

/**
 * Hands the conversation back to the bot: one dialog step with the staff_released event resumes the flow it was in
 * (the bot says so and asks its next question), its effects are carried out as in a resident's turn (e.g. an
 * emergency report the officer completed is opened as a case), the replies are stored and sent, and the officer's
 * duty tasks for it are done. The step is the dialog runner's (src/intake/dialog-runner.ts). The holder hands back;
 * a supervisor may also release a conversation someone left held.
 */
export async function releaseConversation(deps: ReleaseDeps, staff: StaffPrincipal, id: string, now: Date): Promise<Conversation> {
  const held = await findConversation(deps, staff, id);
  if (!(staff.role === 'supervisor' && held.status === 'staff')) await requireHolding(deps, staff, id);
  const to = await residentEndpoint(deps.db, id).catch(() => undefined);
  // The dialog runner steps it under the conversation's lock (or just gives it back when there is nothing to resume).
  const released = await runDialog(deps.turnDeps, { kind: 'release', conversationId: id, to, now });
  const outboundIds = released.kind === 'answered' ? released.outboundIds : [];
  if (to && outboundIds.length > 0) await deps.deliver(to, { conversationId: id, replies: [], outboundIds });
  await finishConversationTasks(deps.db, id, now, { onlyTaken: true });
  await recordStaffAction(deps.db, staff, now, { action: 'conversation.released', entity: 'conversation', entityId: id, before: { heldById: held.heldById } });
  return deps.db.conversation.findUniqueOrThrow({ where: { id } });
}
