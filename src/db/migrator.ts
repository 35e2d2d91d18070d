import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator, type MigrationResultSet } from 'kysely/migration';
import type { Db } from './database.js';

// Source and build keep the same layout (src/db → ../../migrations), so one path serves both
// `vitest` on the .ts sources and `node` on the compiled .js files.
const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies every pending migration; throws naming the migration that failed. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const provider = new FileMigrationProvider({ fs, path, migrationFolder });
  const result = await new Migrator({ db, provider }).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, {
      cause: result.error,
    });
  }
  return result;
}
