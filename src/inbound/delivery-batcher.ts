import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.js';
import { dedupeKey } from '../mail/envelope-headers.js';
import { storeDeliveries, type Delivery, type StoredDelivery } from './store-delivery.js';

export interface DeliveryBatcherOptions {
  /**
   * Statements committing at once (default 1). On PostgreSQL a second statement in flight split
   * the waiting deliveries into smaller groups and measured slower (bench:ingest); the embedded
   * database runs one statement at a time anyway.
   */
  maxInFlight?: number;
  /** Deliveries in one statement at most. */
  maxBatch?: number;
}

/** How long the inbox must have had no new delivery to count as quiet. */
const QUIET_MS = 20;

interface Waiting {
  delivery: Delivery;
  keys: string[];
  resolve: (stored: StoredDelivery[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for accepted messages. Deliveries that arrive while a commit is in flight wait
 * and go together in the next statement, so ten connections share one commit (one WAL flush on
 * PostgreSQL, one transaction in the embedded database) instead of queueing for ten. Nobody
 * waits for a timer: an idle server commits a message the moment it arrives. A statement that
 * fails is retried one delivery at a time, so one bad message cannot refuse its neighbours.
 */
export class DeliveryBatcher {
  readonly #db: Db;
  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  #waiting: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;
  #lastArrival = -Infinity;
  #drained: (() => void)[] = [];

  constructor(db: Db, options: DeliveryBatcherOptions = {}) {
    this.#db = db;
    this.#maxInFlight = options.maxInFlight ?? 1;
    this.#maxBatch = options.maxBatch ?? 64;
  }

  /** Resolves once the delivery is committed, with one answer per project. */
  store(delivery: Delivery): Promise<StoredDelivery[]> {
    const key = dedupeKey(delivery.messageId, delivery.blob.sha256);
    return new Promise((resolve, reject) => {
      this.#lastArrival = performance.now();
      this.#waiting.push({
        delivery,
        keys: delivery.projects.map(({ projectId }) => `${projectId} ${key}`),
        resolve,
        reject,
      });
      this.#startSoon();
    });
  }

  /** Resolves when everything handed in so far is committed or refused. */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /**
   * Resolves once no delivery has arrived for `QUIET_MS` and none is waiting or committing, or
   * after `maxWaitMs`, whichever comes first: how background work (filing) lets the senders of a
   * burst, each waiting for their `250`, go first without ever stopping altogether.
   */
  async quiet(maxWaitMs: number): Promise<void> {
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      const now = performance.now();
      const calmFor = now - this.#lastArrival;
      if (this.#idle() && calmFor >= QUIET_MS) return;
      if (now >= deadline) return;
      await sleep(Math.min(deadline - now, Math.max(QUIET_MS - calmFor, 5)));
    }
  }

  /**
   * Starts the next statement after the deliveries that arrived in this turn of the event loop
   * have joined it. The embedded database runs a statement without yielding, so without this
   * pause each delivery would find the previous one done already and go alone.
   */
  #startSoon(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#start();
    });
  }

  #start(): void {
    while (this.#inFlight < this.#maxInFlight && this.#waiting.length > 0) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        // Through the event loop, not at once: the embedded database answers in microtasks, and
        // a chain of statements started from here would starve timers and sockets alike.
        this.#startSoon();
        if (this.#idle()) for (const resolve of this.#drained.splice(0)) resolve();
      });
    }
  }

  #idle(): boolean {
    return this.#inFlight === 0 && this.#waiting.length === 0;
  }

  /** The next batch, in arrival order; a repeat of a message already in it waits for the next. */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    const later: Waiting[] = [];
    for (const waiting of this.#waiting) {
      if (batch.length >= this.#maxBatch || waiting.keys.some((key) => keys.has(key))) {
        later.push(waiting);
        continue;
      }
      for (const key of waiting.keys) keys.add(key);
      batch.push(waiting);
    }
    this.#waiting = later;
    return batch;
  }

  async #commit(batch: Waiting[]): Promise<void> {
    try {
      const stored = await storeDeliveries(
        this.#db,
        batch.map((waiting) => waiting.delivery),
      );
      batch.forEach((waiting, index) => waiting.resolve(stored[index] ?? []));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const waiting of batch) {
        await storeDeliveries(this.#db, [waiting.delivery]).then(
          ([stored]) => waiting.resolve(stored ?? []),
          waiting.reject,
        );
      }
    }
  }
}
