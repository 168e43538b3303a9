import type { CountyDirectory } from '../../directory/schema.js';
import { locateHouseholdSize } from './household.js';
import { locateIdNumber, type IdNumberError } from './id-number.js';
import { locateName, type NameOf } from './name.js';
import { normalizeUtterance } from './normalize.js';
import { locatePhone } from './phone.js';
import { locatePlace } from './place.js';
import { extractAccount, extractReason } from './reason.js';
import { maskSpan } from './span.js';

export type Slots = {
  name?: string;
  /** Whether the name is the speaker's own ("俺叫…") or someone else's ("俺娘叫…"). */
  nameOf?: NameOf;
  idNumber?: string;
  householdSize?: number;
  townshipCode?: string;
  villageCode?: string;
  address?: string;
  phone?: string;
  reason?: string;
};

/**
 * Fills every slot one message gives. Each extractor masks what it used, in an order that keeps
 * numbers and names out of each other's way: the ID before the phone (18 digits hold phone-shaped
 * runs), the name before places ("我叫柳青" is not 柳青街道), and all of them before the reason.
 */
export function extractSlots(text: string, directory: CountyDirectory): { slots: Slots; idError?: IdNumberError } {
  const { slots, idError } = readSlots(text, directory);
  return idError ? { slots, idError } : { slots };
}

/** All a message says beyond its form answers and greetings ("上礼拜大风把屋顶掀了"), need words or not. */
export function accountIn(text: string, directory: CountyDirectory): string | undefined {
  return extractAccount(readSlots(text, directory).rest);
}

function readSlots(text: string, directory: CountyDirectory): { slots: Slots; idError?: IdNumberError; rest: string } {
  let rest = normalizeUtterance(text);
  const slots: Slots = {};
  let idError: IdNumberError | undefined;

  const id = locateIdNumber(rest);
  if (id) {
    if (id.value.ok) slots.idNumber = id.value.value;
    else idError = id.value;
    rest = maskSpan(rest, id);
  }
  const phone = locatePhone(rest);
  if (phone) {
    slots.phone = phone.value;
    rest = maskSpan(rest, phone);
  }
  const name = locateName(rest);
  if (name) {
    slots.name = name.value;
    slots.nameOf = name.of;
    rest = maskSpan(rest, name);
  }
  const household = locateHouseholdSize(rest);
  if (household) {
    slots.householdSize = household.value;
    rest = maskSpan(rest, household);
  }
  const place = locatePlace(rest, directory);
  if (place.match.township) slots.townshipCode = place.match.township.code;
  if (place.match.village) slots.villageCode = place.match.village.code;
  if (place.match.address) slots.address = place.match.address;
  for (const span of place.spans) rest = maskSpan(rest, span);

  const reason = extractReason(rest);
  if (reason) slots.reason = reason;
  return { slots, idError, rest };
}
