/**
 * The masked forms shown by default (ID `110***********002X`, phone `138****1234`) live with the rest of the masking
 * in src/privacy/personal-numbers.ts; re-exported here for the dialog flows that show a captured value back.
 */
export { maskIdNumber, maskPhone } from '../privacy/personal-numbers.js';
