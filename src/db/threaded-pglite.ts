import { Worker } from 'node:worker_threads';
import type { PgliteAnswer, PgliteRequest, PgliteThreadData } from './pglite-protocol.js';

/** A request before it is numbered (each kind of request on its own). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = Unnumbered<PgliteRequest>;

interface Results {
  rows: unknown[];
  affectedRows?: number;
}

export interface ThreadedPgliteOptions {
  /**
   * Told once if the thread ends other than by `close()` (a crash inside PGlite, its heap
   * exhausted): every later query fails, so the caller decides whether the process goes on.
   */
  onUnexpectedExit?: (error: Error) => void;
  /** The thread's script; tests stand in one of their own. */
  script?: URL;
}

/**
 * The embedded database on a thread of its own. PGlite is PostgreSQL compiled to WebAssembly and
 * spends the calling thread's time on every statement (about 0.9 ms even for a small one); on the
 * main thread that time is taken from the SMTP sessions and the web UI. This stands in for the
 * PGlite object Kysely's PGlite dialect drives (`query`, `transaction`, `close`) and sends each
 * call to `pglite-thread.ts`. Values cross by structured clone: Dates stay Dates, bytea arrives
 * as a Uint8Array, as from PGlite itself.
 */
export class ThreadedPglite {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (answer: PgliteAnswer) => void; reject: (error: Error) => void }
  >();
  #started: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #nextId = 1;
  #nextTx = 1;
  #openTransactions = 0;
  #failure: Error | null = null;
  #closing = false;
  ready = false;
  closed = false;
  readonly waitReady: Promise<void>;

  constructor(dataDir: string | undefined, options: ThreadedPgliteOptions = {}) {
    const data: PgliteThreadData = { dataDir: dataDir ?? null };
    this.#worker = new Worker(options.script ?? threadUrl(), { workerData: data });
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.#started = { resolve: () => resolve(), reject };
    });
    // Nothing may wait on it unobserved: a start-up failure also reaches every later call.
    this.waitReady.catch(() => {});
    this.#worker.on('message', (answer: PgliteAnswer) => {
      if (answer.id === 0) return this.#start(answer);
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      this.#holdProcess();
      pending.resolve(answer);
    });
    this.#worker.on('error', (error: Error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (this.#closing) return this.#fail(new Error('PGlite is closed'));
      this.#fail(new Error(`the database thread stopped (exit code ${code})`));
      options.onUnexpectedExit?.(this.#failure!);
    });
  }

  /** Kysely asks for rows as objects, which is all the thread gives. */
  async query(sql: string, params: unknown[] = []): Promise<Results> {
    return this.#results(await this.#call({ op: 'query', sql, params }));
  }

  /** Runs `callback` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(
    callback: (tx: { query: ThreadedPglite['query'] }) => Promise<T>,
  ): Promise<T> {
    const tx = this.#nextTx++;
    await this.#call({ op: 'begin', tx });
    this.#openTransactions++;
    let result: T;
    try {
      result = await callback({
        query: async (sql, params = []) =>
          this.#results(await this.#call({ op: 'query', sql, params, tx })),
      });
    } catch (error) {
      await this.#end(tx, false);
      throw error;
    }
    await this.#end(tx, true);
    return result;
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#failure) return void (await this.#worker.terminate());
    if (this.closed) return;
    try {
      await this.#call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.#worker.terminate();
    }
  }

  #start(answer: PgliteAnswer): void {
    const started = this.#started;
    this.#started = null;
    if (answer.error) {
      const error = toError(answer.error);
      this.#fail(error);
      started?.reject(error);
    } else {
      this.ready = true;
      started?.resolve();
    }
    this.#holdProcess();
  }

  async #end(tx: number, commit: boolean): Promise<void> {
    try {
      const answer = await this.#call({ op: 'end', tx, commit });
      if (answer.error) throw toError(answer.error);
    } finally {
      this.#openTransactions--;
      this.#holdProcess();
    }
  }

  #results(answer: PgliteAnswer): Results {
    if (answer.error) throw toError(answer.error);
    return {
      rows: answer.rows ?? [],
      ...(answer.affectedRows === undefined ? {} : { affectedRows: answer.affectedRows }),
    };
  }

  #call(request: Request): Promise<PgliteAnswer> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.closed) return Promise.reject(new Error('PGlite is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#holdProcess();
      this.#worker.postMessage({ ...request, id });
    });
  }

  /**
   * The thread keeps the process alive only while something waits on it, as a socket would: an
   * idle database must not stop a finished command from exiting, and a pending query must not
   * let it exit before the answer.
   */
  #holdProcess(): void {
    if (this.#started || this.#pending.size > 0 || this.#openTransactions > 0) this.#worker.ref();
    else this.#worker.unref();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.closed = true;
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    this.#started?.reject(this.#failure);
    this.#started = null;
  }
}

function toError(fields: Record<string, unknown> & { message: string }): Error {
  return Object.assign(new Error(fields.message), fields);
}

/**
 * The thread's script. Built, it sits beside this module; run from the TypeScript sources (the
 * tests), Node cannot load a worker from them, so the build in dist/ is used.
 */
function threadUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/src/db/pglite-thread.js', import.meta.url)
    : new URL('./pglite-thread.js', import.meta.url);
}
