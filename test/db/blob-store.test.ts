import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/blobs/blob-store.js';
import { DatabaseBlobStore } from '../../src/blobs/database-blob-store.js';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { isDocketError } from '../../src/errors.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

describe(`blob stores on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'docket-blobs-'));
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const stores: [string, () => BlobStore][] = [
    ['files', () => new FileBlobStore(dir)],
    ['database', () => new DatabaseBlobStore(database.db)],
  ];

  it.each(stores)(
    '%s: stores bytes under their SHA-256 and gives them back unchanged',
    async (_kind, make) => {
      const store = make();
      // Every byte value, in pieces, as a stream would bring them.
      const bytes = Buffer.concat([
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        Buffer.alloc(70_000, 0x2e),
      ]);
      const staged = await store.put(
        Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      );
      expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(staged.size).toBe(bytes.length);
      await database.db.transaction().execute((trx) => store.record(trx, staged));
      await database.db.transaction().execute((trx) => store.record(trx, staged));
      expect((await store.read(staged.sha256)).equals(bytes)).toBe(true);
      const chunks: Buffer[] = [];
      for await (const chunk of await store.open(staged.sha256)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      const rows = await database.db
        .selectFrom('blobs')
        .select(['size', 'storage'])
        .where('sha256', '=', staged.sha256)
        .execute();
      expect(rows).toEqual([{ size: bytes.length, storage: store.kind }]);
    },
  );

  it.each(stores)('%s: reports a missing blob as not found', async (_kind, make) => {
    const missing = 'f'.repeat(64);
    const error = await make()
      .read(missing)
      .catch((e: unknown) => e);
    expect(isDocketError(error, 'not_found')).toBe(true);
  });
});
