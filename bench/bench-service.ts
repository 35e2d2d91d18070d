import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { loadConfig, type Config } from '../src/config.js';
import { startService, type Service } from '../src/main.js';

export type DatabaseKind = 'postgresql' | 'embedded';

/** A throwaway place for Docket's data: a temp data directory, plus a fresh PostgreSQL database. */
export interface BenchEnvironment {
  kind: DatabaseKind;
  config: Config;
  /** The environment `loadConfig` was given, for a child process to load the same config. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * Makes a fresh, empty environment: a temp DOCKET_DATA_DIR (blob files; the PGlite database too
 * when embedded) and, for PostgreSQL, a database of its own created under the admin URL.
 */
export async function createBenchEnvironment(
  kind: DatabaseKind,
  adminUrl: string,
  extra: Record<string, string> = {},
): Promise<BenchEnvironment> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'docket-bench-'));
  let databaseName: string | null = null;
  const env: Record<string, string> = {
    DOCKET_DATA_DIR: dataDir,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    DOCKET_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    ...extra,
  };
  if (kind === 'postgresql') {
    databaseName = `docket_bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${databaseName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    env.DATABASE_URL = url.toString();
  }
  return {
    kind,
    config: loadConfig(env),
    env,
    async cleanup() {
      if (databaseName) {
        // pg-pool's end() resolves before its sockets have closed; a forced drop at that moment
        // kills the closing backends and the pool re-emits the error. Let them go first.
        await waitForNoBackends(adminUrl, databaseName);
        await adminQuery(adminUrl, `drop database if exists ${databaseName} with (force)`);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the whole service in this process, the way `docket serve` does, with logging off. */
export function startBenchService(environment: BenchEnvironment): Promise<Service> {
  return startService(environment.config, pino({ level: 'silent' }));
}

async function adminQuery(
  adminUrl: string,
  statement: string,
  values: unknown[] = [],
): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ n?: number }>(statement, values);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

async function waitForNoBackends(adminUrl: string, databaseName: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const count = 'select count(*)::int as n from pg_stat_activity where datname = $1';
    if ((await adminQuery(adminUrl, count, [databaseName])) === 0) return;
    await sleep(50);
  }
}
