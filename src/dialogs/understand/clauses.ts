export type Clause = { text: string; start: number };

const CLAUSE_END = /[，,。！!？?；;\n]/;

/** Splits normalized text at sentence punctuation, keeping each clause's offset in the text. */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || CLAUSE_END.test(text[i]!)) {
      if (i > start) clauses.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  return clauses;
}
