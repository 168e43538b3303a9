/**
 * The masked forms shown by default, first 3 and last 4 kept. Import them from src/privacy/personal-numbers.ts, the
 * masking module, which re-exports them; they are written here, with no imports, only because the dialog flows show
 * a captured value back with them and the masking module itself reads numbers with the dialog's parser.
 */

/** Shown by default: ID first 3 and last 4 (`110***********002X`). */
export function maskIdNumber(id: string): string {
  if (id.length <= 7) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** Shown by default: phone without the country code, first 3 and last 4 (`138****1234`). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+86/, '');
  if (digits.length < 8) return '*'.repeat(digits.length);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
}
