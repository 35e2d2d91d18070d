import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { Database, Db } from './database.js';
import { ThreadedPglite } from './threaded-pglite.js';
import { valueParsers } from './value-parsers.js';

export interface DbTarget {
  /** A postgres:// URL, or null for the embedded database. */
  databaseUrl: string | null;
  /** Where the embedded database lives; `memory://` keeps it in memory (tests). */
  embeddedDir: string;
  poolSize?: number;
  /** Told about errors of idle PostgreSQL connections, which the pool then replaces. */
  onIdleClientError?: (error: Error) => void;
  /** Told if the embedded database's thread ends unexpectedly; nothing works after that. */
  onEmbeddedFailure?: (error: Error) => void;
}

/**
 * Opens PostgreSQL through `pg`, or the embedded PGlite on a thread of its own. PGlite has one
 * connection: Kysely's PGlite dialect holds a mutex around it, so concurrent transactions run one
 * after another rather than interleaving on the same session.
 */
export function createDb(target: DbTarget): Db {
  if (target.databaseUrl) {
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        valueParsers[oid] ??
        (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({
      connectionString: target.databaseUrl,
      max: target.poolSize ?? 10,
      types,
    });
    // An idle client whose connection PostgreSQL closed (restart, terminate) emits 'error' on the
    // pool; without a listener that would crash the process. The pool replaces such clients.
    pool.on('error', (error) => target.onIdleClientError?.(error));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dataDir = target.embeddedDir === 'memory://' ? undefined : target.embeddedDir;
  if (dataDir) mkdirSync(path.dirname(dataDir), { recursive: true });
  const pglite = new ThreadedPglite(dataDir, {
    ...(target.onEmbeddedFailure ? { onUnexpectedExit: target.onEmbeddedFailure } : {}),
  });
  // Kysely drives only query, transaction and close, which the threaded stand-in provides.
  return new Kysely<Database>({
    dialect: new PGliteDialect({ pglite: pglite as unknown as PGlite }),
  });
}
