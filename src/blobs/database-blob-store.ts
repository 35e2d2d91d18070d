import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db, Trx } from '../db/database.js';
import { DocketError } from '../errors.js';
import {
  recordBlobRow,
  type BlobStore,
  type BlobWriter,
  type BlobWriterSpec,
  type StagedBlob,
} from './blob-store.js';

/**
 * Blobs as PostgreSQL `bytea`, for several instances sharing one database and no shared disk.
 * The bytes are held in memory until `record` writes them in the caller's transaction.
 */
export class DatabaseBlobStore implements BlobStore {
  readonly kind = 'database' as const;
  readonly writerSpec: BlobWriterSpec = { root: null, inlineMaxBytes: Infinity };
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob> {
    return databaseBlobWriter.put(source);
  }

  record(trx: Trx, blob: StagedBlob): Promise<void> {
    return recordBlobRow(trx, blob);
  }

  async open(sha256: string): Promise<Readable> {
    return Readable.from([await this.read(sha256)]);
  }

  async read(sha256: string, trx?: Trx): Promise<Buffer> {
    const data = await readBlobRow(trx ?? this.#db, sha256);
    if (!data) throw new DocketError('not_found', `blob ${sha256} is not in the database`);
    return data;
  }
}

/** Hashes and holds the bytes; the transaction that records them makes them durable. */
export const databaseBlobWriter: BlobWriter = {
  async put(source) {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(bytes);
      chunks.push(bytes);
    }
    const data = Buffer.concat(chunks);
    return { sha256: hash.digest('hex'), size: data.length, data };
  },
};

/** A blob's bytes from its row, or null when the row has none (a file, or no such blob). */
export async function readBlobRow(executor: Db | Trx, sha256: string): Promise<Buffer | null> {
  const row = await executor
    .selectFrom('blobs')
    .select('data')
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row?.data) return null;
  // pg gives a Buffer, PGlite a plain Uint8Array; callers get a Buffer either way.
  const data: Uint8Array = row.data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
