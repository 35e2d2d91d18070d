import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './database.js';

const INT8 = 20;
const BYTEA = 17;
const DATE = 1082;

/** Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the process's time zone. */
const keepDate = (value: string): string => value;
const NUMERIC = 1700;

/** Identity columns are bigint; every id and count we keep fits a JavaScript number exactly. */
const parseInt8 = (value: string): number => Number(value);

export interface DbTarget {
  /** A postgres:// URL, or null for the embedded database. */
  databaseUrl: string | null;
  /** Where the embedded database lives; `memory://` keeps it in memory (tests). */
  embeddedDir: string;
  poolSize?: number;
  /** Told about errors of idle PostgreSQL connections, which the pool then replaces. */
  onIdleClientError?: (error: Error) => void;
}

/**
 * Opens PostgreSQL through `pg`, or the embedded PGlite. PGlite has one connection: Kysely's
 * PGlite dialect holds a mutex around it, so concurrent transactions run one after another rather
 * than interleaving on the same session.
 */
export function createDb(target: DbTarget): Db {
  if (target.databaseUrl) {
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC
          ? parseInt8
          : oid === DATE
            ? keepDate
            : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
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
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8]: parseInt8, [NUMERIC]: parseInt8, [DATE]: keepDate },
    // PGlite's default bytea serializer is several times slower than hex encoding by Buffer.
    serializers: { [BYTEA]: (value: Uint8Array) => `\\x${Buffer.from(value).toString('hex')}` },
  });
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
}
