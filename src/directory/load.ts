import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';
import { CountyDirectory } from './schema.js';

/**
 * Reads and validates a county directory file. A file with errors is rejected
 * with every problem listed (path and message), so a county fixes them in one go.
 */
export async function loadDirectoryFile(path: string): Promise<CountyDirectory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('directory_unreadable', `Cannot read county directory ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('directory_invalid', `County directory ${path} is not valid JSON: ${(err as Error).message}`, 400, false, [
      (err as Error).message,
    ]);
  }
  return parseDirectory(json, path);
}

export function parseDirectory(json: unknown, source = 'directory'): CountyDirectory {
  const result = CountyDirectory.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new AppError(
    'directory_invalid',
    `County directory ${source} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    400,
    false,
    problems,
  );
}
