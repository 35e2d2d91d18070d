import { Worker } from 'node:worker_threads';
import type { ExtractionLimits } from './extraction-limits.js';
import type { DocumentReader, ExtractionOutcome } from './read-document.js';
import type { WorkerRequest } from './extract-worker.js';

/** How often a busy worker's memory is looked at. */
const MEMORY_CHECK_MS = 100;
/** A worker idle this long is ended; the next document starts a new one. */
const IDLE_MS = 30_000;
/** Documents a worker reads before it is replaced, so nothing pdf.js keeps can pile up. */
const DOCUMENTS_PER_WORKER = 200;

interface Job {
  bytes: Uint8Array;
  reader: DocumentReader;
  resolve: (outcome: ExtractionOutcome) => void;
}

interface Slot {
  worker: Worker | null;
  documents: number;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * Worker threads that read attachments' text, each document under the limits: a reading that
 * runs past `timeoutMs`, or whose worker holds more than `maxMemoryMb` of heap and buffers, is
 * stopped by terminating its worker (the only way to stop pdf.js in the middle of a page) and
 * comes back `failed` with the reason; a worker that dies is replaced. Nothing here can crash or
 * stall the process that owns the pool.
 */
export class ExtractionPool {
  readonly #limits: ExtractionLimits;
  readonly #script: URL;
  readonly #slots: Slot[];
  readonly #queue: Job[] = [];
  readonly #busy = new Set<Slot>();
  #closed = false;

  constructor(size: number, limits: ExtractionLimits, script: URL = workerScript()) {
    this.#limits = limits;
    this.#script = script;
    this.#slots = Array.from({ length: Math.max(1, size) }, () => ({
      worker: null,
      documents: 0,
      idleTimer: null,
    }));
  }

  get size(): number {
    return this.#slots.length;
  }

  /**
   * Reads one document in a worker. Never rejects. The bytes are handed over to the worker: a
   * Uint8Array that owns its whole buffer is detached afterwards.
   */
  extract(bytes: Uint8Array, reader: DocumentReader): Promise<ExtractionOutcome> {
    if (this.#closed) {
      return Promise.resolve({ state: 'failed', kind: null, reason: 'the reader was shut down' });
    }
    return new Promise((resolve) => {
      this.#queue.push({ bytes, reader, resolve });
      this.#next();
    });
  }

  /** Ends every worker; readings in progress come back `failed`. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) {
      job.resolve({ state: 'failed', kind: null, reason: 'the reader was shut down' });
    }
    await Promise.all(this.#slots.map((slot) => this.#retire(slot)));
  }

  #next(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (this.#busy.has(slot)) continue;
      const job = this.#queue.shift();
      if (job) void this.#run(slot, job);
    }
  }

  async #run(slot: Slot, job: Job): Promise<void> {
    this.#busy.add(slot);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const outcome = await this.#readIn(slot, job);
    job.resolve(outcome);
    if (outcome.state === 'failed' || ++slot.documents >= DOCUMENTS_PER_WORKER) {
      await this.#retire(slot);
    } else if (slot.worker) {
      slot.idleTimer = setTimeout(() => void this.#retire(slot), IDLE_MS);
      slot.idleTimer.unref();
    }
    this.#busy.delete(slot);
    if (!this.#closed) this.#next();
  }

  #readIn(slot: Slot, job: Job): Promise<ExtractionOutcome> {
    const limits = this.#limits;
    const worker = (slot.worker ??= this.#spawn(slot));
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: ExtractionOutcome, stop: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(memory);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (stop) void this.#retire(slot);
        resolve(outcome);
      };
      const failed = (reason: string) => ({ state: 'failed' as const, kind: null, reason });
      const tooMuchMemory = `needed more than ${limits.maxMemoryMb} MB of memory`;
      const onMessage = (message: { outcome: ExtractionOutcome }) => finish(message.outcome, false);
      const onError = (error: Error & { code?: string }) =>
        finish(
          failed(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? tooMuchMemory
              : `the reader crashed (${error.message})`,
          ),
          true,
        );
      const onExit = () => finish(failed('the reader stopped unexpectedly'), true);
      const timer = setTimeout(
        () => finish(failed(`took longer than ${limits.timeoutMs / 1000} s`), true),
        limits.timeoutMs,
      );
      // Buffers (inflated streams, decoded images) live outside the heap the resource limit
      // bounds; the worker's own statistics count them, so a runaway is stopped here.
      const memory = setInterval(() => {
        worker.getHeapStatistics().then(
          (stats) => {
            const external = (stats as { external_memory?: number }).external_memory ?? 0;
            if (stats.used_heap_size + external > limits.maxMemoryMb * 1024 * 1024) {
              finish(failed(tooMuchMemory), true);
            }
          },
          () => undefined,
        );
      }, MEMORY_CHECK_MS);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      const bytes = ownBuffer(job.bytes);
      const request: WorkerRequest = {
        id: 0,
        bytes,
        reader: job.reader,
        limits: {
          maxPages: limits.maxPages,
          maxTextChars: limits.maxTextChars,
          maxInflatedBytes: limits.maxInflatedBytes,
        },
      };
      worker.postMessage(request, [bytes.buffer]);
    });
  }

  #spawn(slot: Slot): Worker {
    const worker = new Worker(this.#script, {
      resourceLimits: { maxOldGenerationSizeMb: this.#limits.maxMemoryMb },
    });
    // Always listened to: an 'error' with no listener would be thrown in this process. A worker
    // that dies between documents is simply replaced by the next one.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      if (slot.worker === worker) slot.worker = null;
    });
    return worker;
  }

  async #retire(slot: Slot): Promise<void> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const worker = slot.worker;
    slot.worker = null;
    slot.documents = 0;
    if (worker) await worker.terminate();
  }
}

/** The bytes in an ArrayBuffer of their own, so it can be handed to the worker without a copy. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes as Uint8Array<ArrayBuffer>;
  }
  return new Uint8Array(bytes);
}

/**
 * The worker's script: beside this module once compiled. Under the test runner this module is
 * TypeScript source, which a worker thread cannot load; the tests compile dist/ before any file
 * runs (test/global-setup.ts), so the worker runs the compiled reader from there.
 */
function workerScript(): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) {
    return new URL('../../dist/src/attachment-text/extract-worker.js', here);
  }
  return new URL('./extract-worker.js', here);
}
