import pg from 'pg';

/**
 * Waits until no session is connected to the database of `databaseUrl`. node-postgres's
 * `Pool#end()` resolves before its sockets have closed; dropping the database `with (force)` at
 * that moment terminates those backends, and the closing clients then raise an unhandled
 * `57P01 terminating connection due to administrator command`.
 */
export async function waitForNoSessions(databaseUrl: string, timeoutMs = 10_000): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl(databaseUrl) });
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await admin.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      if ((rows[0]?.n ?? 0) === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
}

/** Drops a test database once its sessions are gone. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  await waitForNoSessions(databaseUrl);
  const admin = new pg.Client({ connectionString: adminUrl(databaseUrl) });
  await admin.connect();
  try {
    await admin.query(
      `drop database if exists ${pg.escapeIdentifier(new URL(databaseUrl).pathname.slice(1))} with (force)`,
    );
  } finally {
    await admin.end();
  }
}

/** The server's maintenance database, from which a test database can be watched and dropped. */
function adminUrl(databaseUrl: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? databaseUrl);
  if (!process.env.TEST_DATABASE_URL) url.pathname = '/postgres';
  return url.toString();
}
