import path from 'node:path';
import type { Db } from '../db/database.js';
import type { BlobStore } from './blob-store.js';
import { DatabaseBlobStore } from './database-blob-store.js';
import { FileBlobStore } from './file-blob-store.js';

export function createBlobStore(kind: 'files' | 'database', dataDir: string, db: Db): BlobStore {
  return kind === 'database'
    ? new DatabaseBlobStore(db)
    : new FileBlobStore(path.join(dataDir, 'blobs'));
}
