import type { Case } from '../generated/prisma/client.js';
import { maskPersonalNumbers, maskPersonalNumbersIn, maskPhone } from '../privacy/personal-numbers.js';

/** The parts of a case that hold personal data. */
export type CasePersonalFields = Pick<Case, 'idNumberMasked' | 'phone' | 'address' | 'reason' | 'urgentReason' | 'emergency'>;

export type MaskedCase = {
  /** Stored masked when the case was opened (`110***********002X`); the full number stays sealed. */
  idNumberMasked: string | null;
  phoneMasked: string | null;
  address: string | null;
  reason: string | null;
  urgentReason: string | null;
  emergency: unknown;
};

/**
 * A case's personal data as staff see it by default: the one masked view of a case, used by the API, the console,
 * the registers (台账) and their exports. The ID number and phone are masked; free text the resident wrote or said
 * (an address, a reason, why it is urgent, an emergency report) has every ID or phone number in it masked too.
 * Showing any of it in full is a separate, audited act (src/staff/case-full-view.ts, full exports).
 */
export function maskedCase(c: CasePersonalFields): MaskedCase {
  return {
    idNumberMasked: c.idNumberMasked,
    phoneMasked: c.phone ? maskPhone(c.phone) : null,
    address: c.address && maskPersonalNumbers(c.address),
    reason: c.reason && maskPersonalNumbers(c.reason),
    urgentReason: c.urgentReason && maskPersonalNumbers(c.urgentReason),
    emergency: c.emergency ? maskPersonalNumbersIn(c.emergency as unknown) : null,
  };
}

/** A case with the names of its township and village, as the views read it. */
export type CaseWithPlaces = CasePersonalFields & Pick<Case, 'householdSize' | 'relation'> & { township: { name: string } | null; village: { name: string } | null };

/** The applicant's part of the masked view, the same in the API's case and in a referral's case. */
export function maskedApplicant(c: CaseWithPlaces) {
  const masked = maskedCase(c);
  return {
    idNumberMasked: masked.idNumberMasked,
    phoneMasked: masked.phoneMasked,
    householdSize: c.householdSize,
    township: c.township?.name ?? null,
    village: c.village?.name ?? null,
    address: masked.address,
    relation: c.relation,
    reason: masked.reason,
  };
}
