import type { CategoryCode } from '../domain/categories.js';
import { AppError } from '../errors.js';
import type { Referral } from '../generated/prisma/client.js';
import type { UnitKind } from '../generated/prisma/enums.js';
import { changeReferral } from './change.js';
import { claimNextNumber, dispatchReferral } from './dispatch.js';
import type { Actor, ReferralDeps } from './ports.js';
import { countyWindow, resolveUnit, unitOfReferral } from './units.js';

/**
 * 退回: the unit says the referral is not theirs. It ends as returned and a new referral for the same work goes to
 * `reroute` (a unit the window chose) or, by default, to the county window for manual dispatch; the new one gets the
 * next tracking number of the case, a fresh clock and its own announcement.
 */
export async function returnReferral(
  deps: ReferralDeps,
  input: { trackingNumber: string; reason: string; reroute?: { kind: UnitKind; code: string }; actor: Actor; now: Date },
): Promise<{ returned: Referral; replacement: Referral }> {
  const reason = input.reason?.trim();
  if (!reason) {
    throw new AppError('reason_required', '退回必须说明理由 / Say why the referral is not yours: a return needs a reason', 400);
  }
  const target = input.reroute ? resolveUnit(deps.directory, input.reroute) : countyWindow(deps.directory);
  if (!target) {
    throw new AppError(
      'unknown_unit',
      `目录中没有单位 ${input.reroute?.kind}:${input.reroute?.code} / No ${input.reroute?.kind} "${input.reroute?.code}" in the county directory: use a code from the directory, or leave reroute out to send it to the county window`,
      400,
    );
  }
  const { referral, output } = await changeReferral<Referral>(deps, { ...input, action: 'return' }, async ({ tx, referral: r, now, actor }) => {
    const current = unitOfReferral(deps.directory, r);
    if (current.kind === target.kind && current.code === target.code) {
      throw new AppError('reroute_to_same_unit', `转办件 ${r.trackingNumber} 已在 ${target.name} / Referral ${r.trackingNumber} is already with ${target.name}: re-route it to another unit`, 400);
    }
    const next = await dispatchReferral(tx, deps, {
      caseId: r.caseId,
      ...(await claimNextNumber(tx, r.caseId)),
      planned: { category: r.category as CategoryCode, role: r.role, step: r.step, unit: { kind: target.kind, code: target.code } },
      urgent: r.urgent,
      now,
      actor,
    });
    return {
      data: { returnedAt: now, returnReason: reason },
      reason,
      note: { reroutedTo: next.referral.trackingNumber, unit: `${target.kind}:${target.code}` },
      timers: { armed: next.timers, disarmed: [] },
      messages: next.messages,
      output: next.referral,
    };
  });
  return { returned: referral, replacement: output! };
}
