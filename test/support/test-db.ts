import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb } from '../../src/db/create-db.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { dropDatabase } from './pg-cleanup.js';

/** Which database the database and wire tests run on: PostgreSQL when TEST_DATABASE_URL is set. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? null;
export const testDatabaseKind = testDatabaseUrl ? 'postgresql' : 'pglite';

export interface TestDatabase {
  db: Db;
  /** The URL of the fresh PostgreSQL database, or null for in-memory PGlite. */
  url: string | null;
  destroy(): Promise<void>;
}

/**
 * A real, migrated database of its own for one test file: a fresh PostgreSQL database created from
 * TEST_DATABASE_URL (dropped afterwards), or an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const db = createDb({ databaseUrl: null, embeddedDir: 'memory://' });
    await migrateToLatest(db);
    return { db, url: null, destroy: () => db.destroy() };
  }
  const name = `docket_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const db = createDb({ databaseUrl: url.toString(), embeddedDir: 'unused' });
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    async destroy() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}
