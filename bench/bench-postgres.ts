import os from 'node:os';
import pg from 'pg';

/**
 * The PostgreSQL server the database benchmarks create and drop their own database on:
 * BENCH_DATABASE_URL (an admin URL), which must be this machine — the benchmark drops databases.
 */
export function benchAdminUrl(): string {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const host = new URL(adminUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`BENCH_DATABASE_URL must point at 127.0.0.1, not ${host}`);
  }
  return adminUrl;
}

/** The URL of database `name` on the admin URL's server. */
export function benchDatabaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One statement on the admin database (create or drop a database), on a connection of its own. */
export async function adminStatement(adminUrl: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The load average as benchmarks print it beside their figures: "0.5 1.2 2.0". */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
}
