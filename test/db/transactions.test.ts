import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

describe(`transactions on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.destroy());

  it('gives the right total after 50 concurrent read-modify-write transactions', async () => {
    const { db } = database;
    const project = await db
      .insertInto('projects')
      .values({ code: 'counter', name: 'Counter' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('members')
      .values({ project_id: project.id, email: 'count@example.com', name: '0' })
      .execute();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('members')
            .select('name')
            .where('project_id', '=', project.id)
            .where('email', '=', 'count@example.com')
            .forUpdate()
            .executeTakeFirstOrThrow();
          // Yield between the read and the write so that interleaving would show up as lost updates.
          await new Promise((resolve) => setTimeout(resolve, 1));
          await trx
            .updateTable('members')
            .set({ name: String(Number(row.name) + 1) })
            .where('project_id', '=', project.id)
            .where('email', '=', 'count@example.com')
            .execute();
        }),
      ),
    );
    const final = await db
      .selectFrom('members')
      .select('name')
      .where('email', '=', 'count@example.com')
      .executeTakeFirstOrThrow();
    expect(final.name).toBe('50');
  });

  it('returns bigint ids as numbers', async () => {
    const { rows } = await sql<{ n: number }>`select 9007199254740991::bigint as n`.execute(
      database.db,
    );
    expect(rows[0]?.n).toBe(Number.MAX_SAFE_INTEGER);
  });
});
