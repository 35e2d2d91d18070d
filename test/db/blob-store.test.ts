import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
    [
      'files inlining up to 1 MB',
      () => new FileBlobStore(dir, { inlineMaxBytes: 1 << 20, db: database.db }),
    ],
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
      expect(rows).toEqual([
        { size: bytes.length, storage: store.writerSpec.inlineMaxBytes > 0 ? 'database' : 'files' },
      ]);
    },
  );

  it.each(stores)('%s: reports a missing blob as not found', async (_kind, make) => {
    const missing = 'f'.repeat(64);
    const error = await make()
      .read(missing)
      .catch((e: unknown) => e);
    expect(isDocketError(error, 'not_found')).toBe(true);
  });

  it('files inlining small blobs: keeps those up to the limit in the row and larger ones as files', async () => {
    const root = path.join(dir, 'inlining');
    const store = new FileBlobStore(root, { inlineMaxBytes: 1000, db: database.db });
    const small = Buffer.alloc(1000, 0x61);
    const large = Buffer.alloc(1001, 0x62);
    // The larger one arrives in pieces that cross the limit part-way, as a stream would bring it.
    const stagedSmall = await store.put(Readable.from([small]));
    const stagedLarge = await store.put(
      Readable.from([large.subarray(0, 600), large.subarray(600, 900), large.subarray(900)]),
    );
    expect(stagedSmall.data?.equals(small)).toBe(true);
    expect(stagedLarge.data).toBeUndefined();
    expect(existsSync(store.pathOf(stagedSmall.sha256))).toBe(false);
    expect(readFileSync(store.pathOf(stagedLarge.sha256)).equals(large)).toBe(true);
    await database.db.transaction().execute(async (trx) => {
      await store.record(trx, stagedSmall);
      await store.record(trx, stagedLarge);
    });
    const rows = await database.db
      .selectFrom('blobs')
      .select(['sha256', 'storage', 'data'])
      .where('sha256', 'in', [stagedSmall.sha256, stagedLarge.sha256])
      .execute();
    const storage = Object.fromEntries(rows.map((row) => [row.sha256, row.storage]));
    expect(storage).toEqual({ [stagedSmall.sha256]: 'database', [stagedLarge.sha256]: 'files' });
    expect((await store.read(stagedSmall.sha256)).equals(small)).toBe(true);
    expect((await store.read(stagedLarge.sha256)).equals(large)).toBe(true);
    // A store configured without inlining still reads what was inlined before, and vice versa.
    const plain = new FileBlobStore(root, { db: database.db });
    expect((await plain.read(stagedSmall.sha256)).equals(small)).toBe(true);
    expect((await plain.read(stagedLarge.sha256)).equals(large)).toBe(true);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });
});
