import type { Readable } from 'node:stream';
import type { QueryCreator } from 'kysely';
import type { Database, Trx } from '../db/database.js';

/**
 * Bytes that have been hashed and made durable, or are held in memory to be made durable by the
 * transaction that records them: `data` is set when the bytes go into the database row (the
 * database store, and small blobs of the file store on PostgreSQL), and absent when they are a
 * file already fsynced.
 */
export interface StagedBlob {
  sha256: string;
  size: number;
  data?: Buffer;
}

/** Writing half of a blob store; needs no database, so a worker thread can have one. */
export interface BlobWriter {
  put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob>;
}

/**
 * What a worker thread needs to build the same writer as the main thread's store: the file root
 * (null: everything in the database) and the size up to which bytes go into the database row.
 */
export interface BlobWriterSpec {
  root: string | null;
  inlineMaxBytes: number;
}

/**
 * Content-addressed bytes (raw messages, attachments) behind one narrow interface: files under the
 * data directory by default, or PostgreSQL `bytea` when several instances share one database.
 * A blob is written with `put`, then `record`ed inside the caller's transaction, so a row that
 * references a blob is only ever committed after the bytes are safe.
 */
export interface BlobStore extends BlobWriter {
  readonly kind: 'files' | 'database';
  /** How to build this store's writer elsewhere (worker threads parse and store attachments). */
  readonly writerSpec: BlobWriterSpec;
  record(trx: Trx, blob: StagedBlob): Promise<void>;
  open(sha256: string): Promise<Readable>;
  /**
   * The whole blob. Inside a transaction pass it: the database store then sees blobs that the
   * same transaction recorded and has not committed yet.
   */
  read(sha256: string, trx?: Trx): Promise<Buffer>;
}

/**
 * Records a staged blob once; later writers of the same bytes change nothing, except that bytes
 * first recorded as a file gain their database copy when the database store writes them (a
 * deployment moving from the file store to the database store).
 */
export async function recordBlobRow(trx: Trx, blob: StagedBlob): Promise<void> {
  await insertBlobRows(trx, [blob]).execute();
}

/**
 * The insert behind `recordBlobRow`, for callers that fold it into a larger statement. A blob
 * with `data` is stored in the row, one without is a file. Several blobs are written in SHA-256
 * order and each once: two statements inserting the same blobs in another order could deadlock,
 * and one statement cannot upsert a row twice.
 */
export function insertBlobRows(creator: QueryCreator<Database>, blobs: readonly StagedBlob[]) {
  const unique = new Map<string, StagedBlob>();
  for (const blob of blobs) {
    const seen = unique.get(blob.sha256);
    if (!seen || (!seen.data && blob.data)) unique.set(blob.sha256, blob);
  }
  const rows = [...unique.values()]
    .sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0))
    .map((blob) => ({
      sha256: blob.sha256,
      size: blob.size,
      storage: blob.data ? ('database' as const) : ('files' as const),
      data: blob.data ?? null,
    }));
  return creator
    .insertInto('blobs')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('sha256')
        .doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          storage: eb.ref('excluded.storage'),
        }))
        .where('blobs.data', 'is', null)
        .where('excluded.data', 'is not', null),
    );
}
