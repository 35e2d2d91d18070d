import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DocketError } from '../errors.js';
import type { Trx } from '../db/database.js';
import { recordBlobRow, type BlobStore, type StagedBlob } from './blob-store.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Blobs as files: `<root>/ab/cd/<sha256>`. Bytes go to a temporary file while they are hashed, are
 * fsynced, then renamed into place and the directory fsynced, so a crash leaves either the whole
 * blob or none of it. The same bytes written twice end in one file.
 */
export class FileBlobStore implements BlobStore {
  readonly kind = 'files' as const;
  readonly #root: string;
  readonly #tmp: string;

  constructor(root: string) {
    this.#root = root;
    this.#tmp = path.join(root, 'tmp');
  }

  async put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob> {
    await fs.mkdir(this.#tmp, { recursive: true });
    const tmpPath = path.join(this.#tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const file = await fs.open(tmpPath, 'wx');
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(bytes);
        size += bytes.length;
        await file.write(bytes);
      }
      await file.datasync();
    } catch (error) {
      await file.close();
      await fs.rm(tmpPath, { force: true });
      throw error;
    }
    await file.close();
    const sha256 = hash.digest('hex');
    const finalPath = this.pathOf(sha256);
    await fs.mkdir(path.dirname(finalPath), { recursive: true });
    await fs.rename(tmpPath, finalPath);
    await fsyncDirectory(path.dirname(finalPath));
    return { sha256, size };
  }

  record(trx: Trx, blob: StagedBlob): Promise<void> {
    return recordBlobRow(trx, { sha256: blob.sha256, size: blob.size }, this.kind);
  }

  async open(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    await fs.access(file).catch((error: unknown) => {
      throw new DocketError('not_found', `blob ${sha256} is missing from ${this.#root}`, {
        cause: error,
      });
    });
    return createReadStream(file);
  }

  async read(sha256: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(sha256));
    } catch (error) {
      throw new DocketError('not_found', `blob ${sha256} is missing from ${this.#root}`, {
        cause: error,
      });
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new DocketError('invalid_input', 'not a SHA-256 digest');
    return path.join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
