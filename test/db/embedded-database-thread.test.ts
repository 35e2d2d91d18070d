import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ThreadedPglite } from '../../src/db/threaded-pglite.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The embedded database answers from a thread of its own (`threaded-pglite.ts`): what crosses
 * between the threads must come back as PGlite itself would give it, and the thread must neither
 * keep a finished process alive nor let it end while a query is still out.
 */
describe.skipIf(testDatabaseKind === 'postgresql')('the embedded database thread', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.destroy());

  it('returns values of every kind Docket stores as the PostgreSQL driver would', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    const { rows } = await sql<{
      big: number;
      day: string;
      echo: Uint8Array;
      at: Date;
      doc: { a: number[] };
      list: string[];
      none: null;
    }>`select 9007199254740991::int8 as big, '2026-12-05'::date as day, ${bytes}::bytea as echo,
        '2026-12-05T10:00:00Z'::timestamptz as at, '{"a": [1, 2]}'::jsonb as doc,
        array['x', 'y']::text[] as list, null as none`.execute(database.db);
    expect(rows[0]).toEqual({
      big: 9007199254740991,
      day: '2026-12-05',
      echo: new Uint8Array(bytes),
      at: new Date('2026-12-05T10:00:00Z'),
      doc: { a: [1, 2] },
      list: ['x', 'y'],
      none: null,
    });
  });

  it("keeps a PostgreSQL error's code and constraint", async () => {
    const { db } = database;
    await db.insertInto('projects').values({ code: 'twin', name: 'Twin' }).execute();
    const duplicate = await db
      .insertInto('projects')
      .values({ code: 'twin', name: 'Twin again' })
      .execute()
      .catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({
      code: '23505',
      message: expect.stringContaining('duplicate key') as unknown,
      constraint: expect.stringContaining('code') as unknown,
    });
  });

  it('rolls back a transaction whose work throws, and stays usable after a failed statement', async () => {
    const { db } = database;
    const failed = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('projects').values({ code: 'ghost', name: 'Ghost' }).execute();
        await sql`select 1 / 0`.execute(trx);
      })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: '22012' });
    const ghosts = await db
      .selectFrom('projects')
      .select('id')
      .where('code', '=', 'ghost')
      .execute();
    expect(ghosts).toEqual([]);

    await db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values({ code: 'kept', name: 'Kept' }).execute();
    });
    const kept = await db
      .selectFrom('projects')
      .select('name')
      .where('code', '=', 'kept')
      .execute();
    expect(kept).toEqual([{ name: 'Kept' }]);
  });

  it('holds the process open while a query is out, and lets it end once nothing waits', async () => {
    // No destroy(): a command that forgets to close must still exit, and must not exit early.
    const script = `
      import { sql } from 'kysely';
      import { createDb } from './dist/src/db/create-db.js';
      const db = createDb({ databaseUrl: null, embeddedDir: 'memory://' });
      const { rows } = await sql\`select pg_sleep(0.3), 42 as answer\`.execute(db);
      console.log(rows[0].answer);
    `;
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: root,
      timeout: 60_000,
    });
    expect(stdout.trim()).toBe('42');
  });

  it('tells its owner once when the thread dies, and fails what was waiting and what comes after', async () => {
    const onUnexpectedExit = vi.fn();
    const pglite = new ThreadedPglite(undefined, {
      onUnexpectedExit,
      script: new URL('../support/dying-database-thread.js', import.meta.url),
    });
    await pglite.waitReady;
    await expect(pglite.query('select 1')).rejects.toThrow(
      'the database thread stopped (exit code 3)',
    );
    await expect(pglite.query('select 1')).rejects.toThrow('exit code 3');
    expect(onUnexpectedExit).toHaveBeenCalledOnce();
    await pglite.close();
    expect(onUnexpectedExit).toHaveBeenCalledOnce();
  });

  it('does not take a close for a death', async () => {
    const onUnexpectedExit = vi.fn();
    const pglite = new ThreadedPglite(undefined, { onUnexpectedExit });
    await pglite.waitReady;
    expect((await pglite.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
    await pglite.close();
    await expect(pglite.query('select 1')).rejects.toThrow('closed');
    expect(onUnexpectedExit).not.toHaveBeenCalled();
  });
});
