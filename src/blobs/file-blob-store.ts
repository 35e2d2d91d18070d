import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DocketError } from '../errors.js';
import type { Db, Trx } from '../db/database.js';
import {
  recordBlobRow,
  type BlobStore,
  type BlobWriter,
  type BlobWriterSpec,
  type StagedBlob,
} from './blob-store.js';
import { readBlobRow } from './database-blob-store.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface FileBlobStoreOptions {
  /**
   * Blobs up to this many bytes are kept in the database row instead of a file (0: never). The
   * row commits in the same transaction, and on PostgreSQL that commit's WAL flush is shared by
   * every message committing at the same moment, where a file costs two fsyncs of its own.
   */
  inlineMaxBytes?: number;
  /** Where inlined blobs are read back from; required when `inlineMaxBytes` is above 0. */
  db?: Db;
}

/**
 * Blobs as files: `<root>/ab/cd/<sha256>`. Bytes go to a temporary file while they are hashed, are
 * fsynced, then renamed into place and the directory fsynced, so a crash leaves either the whole
 * blob or none of it. The same bytes written twice end in one file. Small blobs may instead live
 * in their database row (`inlineMaxBytes`); reading finds either.
 */
export class FileBlobStore implements BlobStore {
  readonly kind = 'files' as const;
  readonly writerSpec: BlobWriterSpec;
  readonly #writer: FileBlobWriter;
  readonly #db: Db | null;

  constructor(root: string, options: FileBlobStoreOptions = {}) {
    const inlineMaxBytes = options.inlineMaxBytes ?? 0;
    if (inlineMaxBytes > 0 && !options.db)
      throw new Error('a file blob store that inlines small blobs needs the database');
    this.writerSpec = { root, inlineMaxBytes };
    this.#writer = new FileBlobWriter(root, inlineMaxBytes);
    this.#db = options.db ?? null;
  }

  put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob> {
    return this.#writer.put(source);
  }

  record(trx: Trx, blob: StagedBlob): Promise<void> {
    return recordBlobRow(trx, blob);
  }

  async open(sha256: string): Promise<Readable> {
    const file = this.#writer.pathOf(sha256);
    if (this.writerSpec.inlineMaxBytes > 0 || !(await exists(file))) {
      const inline = await this.#inline(sha256);
      if (inline) return Readable.from([inline]);
    }
    if (!(await exists(file))) throw this.#missing(sha256, null);
    return createReadStream(file);
  }

  async read(sha256: string, trx?: Trx): Promise<Buffer> {
    if (this.writerSpec.inlineMaxBytes > 0) {
      const inline = await this.#inline(sha256, trx);
      if (inline) return inline;
    }
    try {
      return await fs.readFile(this.#writer.pathOf(sha256));
    } catch (error) {
      // Bytes inlined under an earlier setting are still found.
      const inline = this.writerSpec.inlineMaxBytes > 0 ? null : await this.#inline(sha256, trx);
      if (inline) return inline;
      throw this.#missing(sha256, error);
    }
  }

  pathOf(sha256: string): string {
    return this.#writer.pathOf(sha256);
  }

  /** The row's bytes, when the blob was inlined (and this store knows the database). */
  async #inline(sha256: string, trx?: Trx): Promise<Buffer | null> {
    return this.#db ? readBlobRow(trx ?? this.#db, sha256) : null;
  }

  #missing(sha256: string, cause: unknown): DocketError {
    return new DocketError('not_found', `blob ${sha256} is missing from ${this.writerSpec.root}`, {
      cause,
    });
  }
}

/**
 * The writing half of the file store, without a database: what a worker thread uses to store the
 * attachments it parses out. Bytes are held in memory while they stay within `inlineMaxBytes`;
 * past that they spill to a temporary file and continue there.
 */
export class FileBlobWriter implements BlobWriter {
  readonly #root: string;
  readonly #tmp: string;
  readonly #inlineMaxBytes: number;
  /** Directories known to exist. */
  readonly #made = new Set<string>();

  constructor(root: string, inlineMaxBytes = 0) {
    this.#root = root;
    this.#tmp = path.join(root, 'tmp');
    this.#inlineMaxBytes = inlineMaxBytes;
  }

  async put(source: Readable | AsyncIterable<Buffer | string>): Promise<StagedBlob> {
    const hash = createHash('sha256');
    let size = 0;
    let held: Buffer[] = [];
    let file: fs.FileHandle | null = null;
    let tmpPath = '';
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(bytes);
        size += bytes.length;
        if (file) {
          await file.write(bytes);
          continue;
        }
        held.push(bytes);
        if (size > this.#inlineMaxBytes) {
          tmpPath = path.join(this.#tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
          file = await this.#create(tmpPath);
          for (const piece of held) await file.write(piece);
          held = [];
        }
      }
      if (!file) {
        // Nothing crossed the limit: the bytes go into the row.
        if (this.#inlineMaxBytes > 0) {
          const data = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held);
          return { sha256: hash.digest('hex'), size, data };
        }
        // An empty blob of a store that never inlines is an empty file.
        tmpPath = path.join(this.#tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
        file = await this.#create(tmpPath);
      }
      await file.datasync();
    } catch (error) {
      await file?.close();
      if (tmpPath) await fs.rm(tmpPath, { force: true });
      throw error;
    }
    await file.close();
    const sha256 = hash.digest('hex');
    const finalPath = this.pathOf(sha256);
    await this.#inDirectory(path.dirname(finalPath), () => fs.rename(tmpPath, finalPath));
    await fsyncDirectory(path.dirname(finalPath));
    return { sha256, size };
  }

  pathOf(sha256: string): string {
    return blobFilePath(this.#root, sha256);
  }

  #create(file: string): Promise<fs.FileHandle> {
    return this.#inDirectory(this.#tmp, () => fs.open(file, 'wx'));
  }

  /**
   * Runs `work` in `directory`, made first unless made before (at most the 65,536 two-level
   * directories and tmp: a bounded set, which spares each message two mkdir calls). A directory
   * removed since is made again.
   */
  async #inDirectory<T>(directory: string, work: () => Promise<T>): Promise<T> {
    if (!this.#made.has(directory)) {
      await fs.mkdir(directory, { recursive: true });
      this.#made.add(directory);
      return work();
    }
    try {
      return await work();
    } catch (error) {
      // Removed behind our back (or the work failed for another reason, which it will again).
      this.#made.delete(directory);
      try {
        await fs.mkdir(directory, { recursive: true });
      } catch {
        throw error;
      }
      this.#made.add(directory);
      return work();
    }
  }
}

/** Where the file store keeps a blob: `<root>/ab/cd/<sha256>`. */
export function blobFilePath(root: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new DocketError('invalid_input', 'not a SHA-256 digest');
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
