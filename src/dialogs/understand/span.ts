/** A value found in normalized text, with where it was found so other extractors can skip it. */
export type Located<T> = { value: T; start: number; end: number };

/** Stands in for consumed text: not a digit, separator, Han character or punctuation, so nothing matches it. */
export const MASK = '\u25A1';

export function maskSpan(text: string, span: { start: number; end: number }): string {
  return text.slice(0, span.start) + MASK.repeat(span.end - span.start) + text.slice(span.end);
}
