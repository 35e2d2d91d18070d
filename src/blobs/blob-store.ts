import type { Readable } from 'node:stream';
import type { QueryCreator } from 'kysely';
import type { Database, Trx } from '../db/database.js';

/** Bytes that have been hashed and made durable, but not yet recorded in the database. */
export interface StagedBlob {
  sha256: string;
  size: number;
  /** Held only by stores that keep bytes in the database, written by `record`. */
  data?: Buffer;
}

/**
 * Content-addressed bytes (raw messages, attachments) behind one narrow interface: files under the
 * data directory by default, or PostgreSQL `bytea` when several instances share one database.
 * A blob is written with `put`, then `record`ed inside the caller's transaction, so a row that
 * references a blob is only ever committed after the bytes are safe.
 */
export interface BlobStore {
  readonly kind: 'files' | 'database';
  put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob>;
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
export async function recordBlobRow(
  trx: Trx,
  blob: StagedBlob,
  storage: BlobStore['kind'],
): Promise<void> {
  await insertBlobRow(trx, blob, storage).execute();
}

/** The insert behind `recordBlobRow`, for callers that fold it into a larger statement. */
export function insertBlobRow(
  creator: QueryCreator<Database>,
  blob: StagedBlob,
  storage: BlobStore['kind'],
) {
  return creator
    .insertInto('blobs')
    .values({ sha256: blob.sha256, size: blob.size, storage, data: blob.data ?? null })
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
