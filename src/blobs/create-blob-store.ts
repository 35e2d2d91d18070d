import path from 'node:path';
import type { Db } from '../db/database.js';
import type { BlobStore, BlobWriter, BlobWriterSpec } from './blob-store.js';
import { DatabaseBlobStore, databaseBlobWriter } from './database-blob-store.js';
import { FileBlobStore, FileBlobWriter } from './file-blob-store.js';

/**
 * The deployment's blob store: everything in the database, or files under the data directory with
 * blobs up to `inlineMaxBytes` kept in their database row.
 */
export function createBlobStore(
  kind: 'files' | 'database',
  dataDir: string,
  db: Db,
  inlineMaxBytes = 0,
): BlobStore {
  return kind === 'database'
    ? new DatabaseBlobStore(db)
    : new FileBlobStore(path.join(dataDir, 'blobs'), { inlineMaxBytes, db });
}

/** The writer a store describes, built where there is no database (a worker thread). */
export function blobWriterFor(spec: BlobWriterSpec): BlobWriter {
  return spec.root === null
    ? databaseBlobWriter
    : new FileBlobWriter(spec.root, spec.inlineMaxBytes);
}
