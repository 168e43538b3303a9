import { fileURLToPath } from 'node:url';

/** Paths inside the repository, independent of the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
