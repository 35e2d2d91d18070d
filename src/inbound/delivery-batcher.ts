import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { dedupeKey } from '../mail/envelope-headers.js';
import { storeDeliveries, type Delivery, type StoredDelivery } from './store-delivery.js';

export interface DeliveryBatcherOptions {
  /**
   * Statements committing at once. PostgreSQL overlaps a few (each waits for its WAL flush while
   * the next is written); the embedded database runs one statement at a time, so 1.
   */
  maxInFlight?: number;
  /** Deliveries in one statement at most. */
  maxBatch?: number;
}

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
  #drained: (() => void)[] = [];

  constructor(db: Db, options: DeliveryBatcherOptions = {}) {
    this.#db = db;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxBatch = options.maxBatch ?? 64;
  }

  /** Resolves once the delivery is committed, with one answer per project. */
  store(delivery: Delivery): Promise<StoredDelivery[]> {
    const key = dedupeKey(delivery.messageId, delivery.blob.sha256);
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        delivery,
        keys: delivery.projects.map(({ projectId }) => `${projectId} ${key}`),
        resolve,
        reject,
      });
      this.#start();
    });
  }

  /** Resolves when everything handed in so far is committed or refused. */
  drain(): Promise<void> {
    if (this.#inFlight === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #start(): void {
    while (this.#inFlight < this.#maxInFlight && this.#waiting.length > 0) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        this.#start();
        if (this.#inFlight === 0 && this.#waiting.length === 0) {
          for (const resolve of this.#drained.splice(0)) resolve();
        }
      });
    }
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

/**
 * The batcher a deployment uses: PostgreSQL overlaps two statements, the embedded database (one
 * connection, one statement at a time) runs one.
 */
export function createDeliveryBatcher(
  db: Db,
  config: Pick<Config, 'databaseUrl'>,
): DeliveryBatcher {
  return new DeliveryBatcher(db, { maxInFlight: config.databaseUrl ? 2 : 1 });
}
