import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db, Trx } from '../db/database.js';
import { DocketError } from '../errors.js';
import { recordBlobRow, type BlobStore, type StagedBlob } from './blob-store.js';

/**
 * Blobs as PostgreSQL `bytea`, for several instances sharing one database and no shared disk.
 * The bytes are held in memory until `record` writes them in the caller's transaction.
 */
export class DatabaseBlobStore implements BlobStore {
  readonly kind = 'database' as const;
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob> {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(bytes);
      chunks.push(bytes);
    }
    const data = Buffer.concat(chunks);
    return { sha256: hash.digest('hex'), size: data.length, data };
  }

  record(trx: Trx, blob: StagedBlob): Promise<void> {
    return recordBlobRow(trx, blob, this.kind);
  }

  async open(sha256: string): Promise<Readable> {
    return Readable.from([await this.read(sha256)]);
  }

  async read(sha256: string, trx?: Trx): Promise<Buffer> {
    const row = await (trx ?? this.#db)
      .selectFrom('blobs')
      .select('data')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!row?.data) throw new DocketError('not_found', `blob ${sha256} is not in the database`);
    // pg gives a Buffer, PGlite a plain Uint8Array; callers get a Buffer either way.
    const data: Uint8Array = row.data;
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
}
