import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Where a table is written in src/: Prisma's write calls on its model (`db.dutyTask.create(…)`, `tx.auditEvent
 * .updateMany(…)`, also `db['dutyTask']`), plain SQL that inserts, updates or deletes its rows, and writes through a
 * relation of another model. Generated code (src/generated) is Prisma's, not ours, and is skipped. Used by the
 * table-owner tests in this folder.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

const WRITES = ['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(SRC, 'generated') ? [] : sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

export type Write = { file: string; line: number; text: string };

/** The lines of `text` that the patterns match (`\s` in them spans line breaks, so a call split over lines is found). */
function matchedLines(text: string, patterns: RegExp[]): { line: number; text: string }[] {
  const lines = text.split('\n');
  return patterns.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m) => {
      const line = text.slice(0, m.index).split('\n').length;
      return { line, text: lines[line - 1]!.trim() };
    }),
  );
}

/** Every place in src/ that the patterns match, as `src/…` paths with line numbers. */
function searchSrc(patterns: RegExp[]): Write[] {
  return sourceFiles(SRC).flatMap((path) => {
    const file = relative(ROOT, path).split('\\').join('/');
    return matchedLines(readFileSync(path, 'utf8'), patterns).map((w) => ({ file, ...w }));
  });
}

const callPatterns = (model: string, table: string) => [
  new RegExp(`(?:\\.\\s*${model}|\\[\\s*['"\`]${model}['"\`]\\s*\\])\\s*\\.\\s*(?:${WRITES.join('|')})\\b`, 'g'),
  new RegExp(`\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO|COPY)\\s+(?:ONLY\\s+)?(?:"?\\w+"?\\s*\\.\\s*)?"?${table}"?(?![\\w"])`, 'gi'),
];

/** The lines of `text` that write the table behind Prisma model `model` (named `table` in SQL). */
export function writesIn(text: string, model: string, table: string): { line: number; text: string }[] {
  return matchedLines(text, callPatterns(model, table));
}

/** Every write to the table in src/ through its model or in SQL. */
export function writesTo(model: string, table: string): Write[] {
  return searchSrc(callPatterns(model, table));
}

/**
 * Rows written through a relation of another model, which a search for the model's own calls cannot see:
 * `{ dutyTasks: { create: … } }` inside a conversation's update (a `connect` only sets a key and writes nothing).
 */
export function nestedWritesTo(relation: string): Write[] {
  return searchSrc([new RegExp(`\\b${relation}\\s*:\\s*\\{\\s*(?:${[...WRITES, 'connectOrCreate'].join('|')})\\s*:`, 'g')]);
}

/** The writes found outside the owner module, as the lines a failing test shows. */
export function writesOutside(owner: string, writes: Write[]): string[] {
  return writes.filter((w) => w.file !== owner).map((w) => `${w.file}:${w.line}: ${w.text}`);
}
