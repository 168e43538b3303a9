/** Pure, synchronous understanding of what residents write or say: one module per kind of answer. */
export { normalizeUtterance } from './normalize.js';
export { parseIdNumber, findIdNumber, type IdNumberResult } from './id-number.js';
export { parseChineseInt } from './numbers.js';
export { countHousehold, extractHouseholdSize, statesHouseholdTotal } from './household.js';
export { extractPhone, extractPhoneLoose } from './phone.js';
export { extractName } from './name.js';
export { matchPlace, type PlaceMatch } from './place.js';
export { parseYesNo } from './yes-no.js';
export { accountIn, extractSlots, type Slots } from './slots.js';
