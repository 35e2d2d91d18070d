import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { BlobWriterSpec } from '../blobs/blob-store.js';
import { blobWriterFor } from '../blobs/create-blob-store.js';
import { blobFilePath } from '../blobs/file-blob-store.js';
import { prepareMail, type PreparedMail } from './prepare-mail.js';

/**
 * A raw message for the pool: its bytes (held in the database row), or the SHA-256 of the file
 * they are in under the blob store's root.
 */
export type RawSource = { bytes: Uint8Array } | { file: string };

export interface ParseRequest {
  raw: RawSource;
  envelope: { mailFrom: string | null; fromOutbox: boolean };
}

/** What the main thread sends a worker. */
export interface ParseTask extends ParseRequest {
  id: number;
}

/** What a worker answers. */
export type ParseTaskAnswer =
  { id: number; prepared: PreparedMail } | { id: number; error: string };

export interface ParsePoolOptions {
  /** Worker threads; 0 parses on the calling thread (no pool). */
  size: number;
  /** Messages a worker holds at once, so one's attachment fsyncs overlap another's parsing. */
  tasksPerWorker?: number;
  /** A message that takes longer is given up (its worker is replaced) and filing retries later. */
  taskTimeoutMs?: number;
  /** Heap limit of a worker: a message that would exhaust it ends that worker, not the server. */
  workerHeapMb?: number;
}

interface Pending {
  task: ParseTask;
  resolve: (prepared: PreparedMail) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  tasks: Map<number, { pending: Pending; timer: NodeJS.Timeout }>;
  gone: boolean;
}

/**
 * Parsing off the SMTP event loop: a small pool of worker threads, each parsing and classifying
 * the messages it is handed (see `parse-worker.ts`). Callers bound what they hand in (the filing
 * queue claims a limited batch), so the queue here never grows past one batch. A worker that
 * crashes, runs out of heap or overruns the time limit is replaced; the messages it held are
 * refused with the reason and filing retries them like any other failure.
 */
export class ParsePool {
  readonly #spec: BlobWriterSpec;
  readonly #size: number;
  readonly #tasksPerWorker: number;
  readonly #taskTimeoutMs: number;
  readonly #workerHeapMb: number;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(spec: BlobWriterSpec, options: ParsePoolOptions) {
    this.#spec = spec;
    this.#size = options.size;
    this.#tasksPerWorker = options.tasksPerWorker ?? 2;
    this.#taskTimeoutMs = options.taskTimeoutMs ?? 120_000;
    this.#workerHeapMb = options.workerHeapMb ?? 1024;
  }

  prepare(request: ParseRequest): Promise<PreparedMail> {
    if (this.#closed) return Promise.reject(new Error('the parse pool is closed'));
    if (this.#size === 0) return prepareHere(request, this.#spec);
    return new Promise((resolve, reject) => {
      this.#queue.push({ task: { ...request, id: this.#nextId++ }, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) pending.reject(new Error('the parse pool closed'));
    await Promise.all(this.#workers.splice(0).map((w) => this.#retire(w, 'the parse pool closed')));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const target = this.#freeWorker();
      if (!target) return;
      const pending = this.#queue.shift() as Pending;
      const timer = setTimeout(() => {
        void this.#retire(target, `parsing took longer than ${this.#taskTimeoutMs / 1000} s`);
      }, this.#taskTimeoutMs);
      target.tasks.set(pending.task.id, { pending, timer });
      const transfer = 'bytes' in pending.task.raw ? [pending.task.raw.bytes.buffer] : [];
      target.worker.postMessage(pending.task, transfer as ArrayBuffer[]);
    }
  }

  #freeWorker(): PoolWorker | null {
    let best: PoolWorker | null = null;
    for (const candidate of this.#workers) {
      if (candidate.tasks.size >= this.#tasksPerWorker) continue;
      if (!best || candidate.tasks.size < best.tasks.size) best = candidate;
    }
    if (best && best.tasks.size === 0) return best;
    if (this.#workers.length < this.#size) return this.#spawn();
    return best;
  }

  #spawn(): PoolWorker {
    const worker = new Worker(workerUrl(), {
      workerData: { writerSpec: this.#spec },
      // A smaller young generation keeps each worker's memory near 60 MB instead of 120 MB.
      resourceLimits: { maxOldGenerationSizeMb: this.#workerHeapMb, maxYoungGenerationSizeMb: 8 },
    });
    const entry: PoolWorker = { worker, tasks: new Map(), gone: false };
    // An idle pool must not keep a finished command's process alive.
    worker.unref();
    worker.on('message', (answer: ParseTaskAnswer) => {
      const held = entry.tasks.get(answer.id);
      if (!held) return;
      clearTimeout(held.timer);
      entry.tasks.delete(answer.id);
      if ('error' in answer) held.pending.reject(new Error(answer.error));
      else held.pending.resolve(withBuffers(answer.prepared));
      this.#dispatch();
    });
    worker.on('error', (error: Error) => {
      void this.#retire(entry, `the parser failed: ${error.message}`);
    });
    worker.on('exit', (code) => void this.#retire(entry, `the parser stopped (exit code ${code})`));
    this.#workers.push(entry);
    return entry;
  }

  /** Ends a worker and refuses what it held; the next message starts a fresh one. */
  async #retire(entry: PoolWorker, reason: string): Promise<void> {
    if (entry.gone) return;
    entry.gone = true;
    const index = this.#workers.indexOf(entry);
    if (index >= 0) this.#workers.splice(index, 1);
    for (const { pending, timer } of entry.tasks.values()) {
      clearTimeout(timer);
      pending.reject(new Error(reason));
    }
    entry.tasks.clear();
    await entry.worker.terminate();
    if (!this.#closed) this.#dispatch();
  }
}

/**
 * The worker script. Built, it sits beside this module; run from the TypeScript sources (the
 * tests), Node cannot load a worker from them, so the build in dist/ is used.
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/src/ingest/parse-worker.js', import.meta.url)
    : new URL('./parse-worker.js', import.meta.url);
}

/** Bytes cross a thread as plain Uint8Arrays; the rest of Docket expects Buffers. */
function withBuffers(prepared: PreparedMail): PreparedMail {
  for (const blob of prepared.attachmentBlobs) {
    if (blob.data && !Buffer.isBuffer(blob.data)) {
      const bytes = blob.data as Uint8Array;
      blob.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }
  return prepared;
}

function prepareHere(request: ParseRequest, spec: BlobWriterSpec): Promise<PreparedMail> {
  return prepareMail(openRaw(request.raw, spec), blobWriterFor(spec), request.envelope);
}

/** A stream of the raw message, on whichever thread parses it. */
export function openRaw(raw: RawSource, spec: BlobWriterSpec): Readable {
  if ('bytes' in raw) {
    return Readable.from([
      Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength),
    ]);
  }
  if (spec.root === null) throw new Error('a blob store without files has no file to read');
  return createReadStream(blobFilePath(spec.root, raw.file));
}
