import { locateIdNumber } from '../dialogs/understand/id-number.js';
import { normalizeText } from '../dialogs/understand/normalize.js';
import { MASK } from '../dialogs/understand/span.js';

/** 15 or more digits in a row (typed or full-width, spaces or hyphens between them, X last): an ID number attempt. */
const TYPED_RUN = /[0-9０-９](?:[ \u3000\-]*[0-9０-９xXｘＸ]){14,}/g;
/** Spoken digits the dialog would read as an ID number ("幺幺零一零五…"): bounded, a message holds few numbers. */
const MAX_SPOKEN = 4;

const SEPARATORS = /[ \u3000\-]/g;
const ID_LENGTH = 18;

function keepEnds(run: string): string {
  const chars = [...run.replace(SEPARATORS, '')];
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

/**
 * One number is masked whole. A longer run is several numbers side by side ("13812345678 13912345678"): only
 * groups long enough to be an ID number are masked here; an ID typed in groups beside another number is found by
 * the dialog's own reading below.
 */
function maskRun(run: string): string {
  if ([...run.replace(SEPARATORS, '')].length <= ID_LENGTH) return keepEnds(run);
  return run.replace(/[^ \u3000\-]+/g, (group) => ([...group].length >= 15 ? keepEnds(group) : group));
}

/**
 * A resident's words with every ID number masked as staff see it by default (first 3 and last 4:
 * `110***********002X`), so the transcript kept in the database holds no full ID number. Typed numbers keep the
 * resident's own wording around them; a spoken number ("幺幺零…") is found the way the dialog finds it, in the
 * normalised text, which is then what is kept.
 */
export function redactIdNumbers(text: string): string {
  let out = text.replace(TYPED_RUN, maskRun);
  for (let i = 0; i < MAX_SPOKEN; i++) {
    // The dialog reads `*` as a keyed X: hide the masks already made from it, or masked digits would read as a number.
    const normalised = normalizeText(out.replaceAll('*', MASK));
    const found = locateIdNumber(normalised);
    if (!found) break;
    out = normalised.slice(0, found.start) + MASK.repeat(found.end - found.start) + normalised.slice(found.end);
  }
  return out.replaceAll(MASK, '*');
}

/** Keypad entries: 15 or more digits is an ID number typed on the phone's keys (`*` stands for X). */
export function redactKeypad(digits: string): string {
  const count = digits.replace(/[^0-9*]/g, '').length;
  return count >= 15 ? keepEnds(digits.replace(/#$/, '')) + (digits.endsWith('#') ? '#' : '') : digits;
}
