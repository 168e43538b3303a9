/**
 * Masks long digit runs (phone and ID numbers) before text leaves the routing code,
 * in prompts to a model and in reports: first 3 and last 4 stay, as the domain
 * reference shows them (138****1234, 110***********002X). Full-width digits count too.
 */
const LONG_NUMBER = /[0-9０-９][0-9０-９xXｘＸ \-]{5,}[0-9０-９xXｘＸ]/g;

export function maskNumbers(text: string): string {
  return text.replace(LONG_NUMBER, (run) => {
    const chars = [...run.replace(/[ \-]/g, '')];
    if (chars.length < 7) return run;
    return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
  });
}
