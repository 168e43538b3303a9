import type { CategoryCode } from '../domain/categories.js';
import type { Referral } from '../generated/prisma/client.js';
import { claimNextNumber, dispatchReferral, type Dispatched } from './dispatch.js';
import type { Tx } from './outbound.js';
import type { Actor, ReferralDeps } from './ports.js';
import { unitOfReferral } from './units.js';

/**
 * 补办手续: a unit that gave emergency aid first (先行救助) completes the paperwork afterwards, within the directory's
 * emergency paperwork limit counted from the aid's answer. That is a referral of its own for the same unit and case,
 * signed by whoever answered the aid (it is the unit's own follow-on work), with its own clock and ladder. One per aid
 * referral: an aid answered again after a reopen finds the paperwork already owed. Runs inside the aid's answer, under
 * its row lock; undefined when nothing new is owed.
 */
export async function openPaperwork(tx: Tx, deps: ReferralDeps, input: { aid: Referral; actor: Actor; now: Date }): Promise<Dispatched | undefined> {
  const { aid, actor, now } = input;
  if (aid.step !== 'aid_first') return undefined;
  if (await tx.referral.findUnique({ where: { followsId: aid.id }, select: { id: true } })) return undefined;
  const unit = unitOfReferral(deps.directory, aid);
  return dispatchReferral(tx, deps, {
    caseId: aid.caseId,
    ...(await claimNextNumber(tx, aid.caseId)),
    planned: { category: aid.category as CategoryCode, role: aid.role, step: 'paperwork', unit: { kind: unit.kind, code: unit.code } },
    // The emergency was met by the aid; paperwork is ordinary office work, with no duty officer behind it.
    urgent: false,
    now,
    actor,
    followOn: { follows: aid, signedById: actor.type === 'staff' ? actor.id : null },
  });
}
