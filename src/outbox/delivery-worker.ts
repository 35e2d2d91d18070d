import nodemailer, { type Transporter } from 'nodemailer';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Db, OutboxMessage } from '../db/database.js';
import type { Logger } from '../log.js';

export interface DeliveryOptions {
  relayUrl: string;
  maxAttempts: number;
  /** The first retry waits this long; each further one twice as long, up to six hours. */
  firstRetrySeconds?: number;
  /** The time the worker acts at; `docket jobs run outbox --now` pins it. Default: the clock. */
  clock?: () => Date;
}

const MAX_RETRY_SECONDS = 6 * 60 * 60;

/** When a message that failed `attempts` times is tried again. */
export function nextAttemptAt(now: Date, attempts: number, firstRetrySeconds = 60): Date {
  const seconds = Math.min(firstRetrySeconds * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_SECONDS);
  return new Date(now.getTime() + seconds * 1000);
}

/**
 * Sends queued outbox mail through the relay, exactly the bytes that were filed. Rows are claimed
 * with SKIP LOCKED and pushed forward before sending, so two workers never send one message and a
 * crash mid-send retries later. A failure is retried with exponential back-off until the maximum
 * number of attempts, then marked failed with its last error for the outbox page.
 */
export class OutboxDelivery {
  readonly #db: Db;
  readonly #blobs: BlobStore;
  readonly #log: Logger;
  readonly #options: DeliveryOptions;
  readonly #transport: Transporter;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(db: Db, blobs: BlobStore, log: Logger, options: DeliveryOptions) {
    this.#db = db;
    this.#blobs = blobs;
    this.#log = log;
    this.#options = options;
    // One connection kept open and reused: a new one per message paid the relay's greeting each
    // time (smtp-server waits 100 ms before it greets; 350 digests took 40 s to deliver, now 4 s).
    this.#transport = nodemailer.createTransport({
      url: options.relayUrl,
      pool: true,
      maxConnections: 1,
    });
  }

  notify(): void {
    if (this.#stopped) return;
    this.#again = true;
    this.#running ??= this.#loop().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves when nothing due is left to send. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
    this.#transport.close();
  }

  async #loop(): Promise<void> {
    while (this.#again && !this.#stopped) {
      this.#again = false;
      const batch = await this.#claim(this.#now()).catch((error: unknown) => {
        this.#log.error({ err: error }, 'could not claim outbox mail');
        return [];
      });
      for (const message of batch) await this.#send(message);
      if (batch.length > 0) this.#again = true;
    }
  }

  #claim(now: Date): Promise<OutboxMessage[]> {
    // The claim itself pushes the next attempt out, so a crash between claim and send is retried.
    return this.#db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        next_attempt_at: new Date(now.getTime() + 10 * 60_000),
      }))
      .where((eb) =>
        eb(
          eb.refTuple('project_id', 'id'),
          'in',
          eb
            .selectFrom('outbox')
            .select(['project_id', 'id'])
            .where('status', '=', 'queued')
            .where('next_attempt_at', '<=', now)
            .orderBy('next_attempt_at')
            .limit(20)
            .forUpdate()
            .skipLocked()
            .$asTuple('project_id', 'id'),
        ),
      )
      .returningAll()
      .execute();
  }

  #now(): Date {
    return this.#options.clock?.() ?? new Date();
  }

  async #send(message: OutboxMessage): Promise<void> {
    const now = this.#now();
    let failure: unknown = null;
    try {
      const raw = await this.#blobs.read(message.raw_sha256);
      await this.#transport.sendMail({
        envelope: { from: message.envelope_from, to: message.to_addresses },
        raw,
      });
    } catch (error) {
      failure = error;
    }
    try {
      if (failure === null) await this.#markSent(message, now);
      else await this.#markFailedAttempt(message, failure, now);
    } catch (error) {
      // The database is unavailable: the row keeps its claim's lease and is tried again after it
      // (mail the relay already took then goes twice, under the same Message-ID).
      this.#log.error(
        { err: error, outbox: message.id, sent: failure === null },
        'could not record a delivery attempt; it is retried after the lease',
      );
    }
  }

  #markSent(message: OutboxMessage, now: Date) {
    return this.#db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: now, last_error: null, next_attempt_at: null })
      .where('project_id', '=', message.project_id)
      .where('id', '=', message.id)
      .execute();
  }

  #markFailedAttempt(message: OutboxMessage, error: unknown, now: Date) {
    // A 5xx from the relay is its final word (no such mailbox, refused): retrying cannot help.
    const permanent = ((error as { responseCode?: number }).responseCode ?? 0) >= 500;
    const failed = permanent || message.attempts >= this.#options.maxAttempts;
    const reason = error instanceof Error ? error.message : String(error);
    this.#log.warn(
      { err: error, outbox: message.id, attempts: message.attempts, failed },
      'delivery failed',
    );
    return this.#db
      .updateTable('outbox')
      .set({
        status: failed ? 'failed' : 'queued',
        last_error: reason,
        next_attempt_at: failed
          ? null
          : nextAttemptAt(now, message.attempts, this.#options.firstRetrySeconds),
      })
      .where('project_id', '=', message.project_id)
      .where('id', '=', message.id)
      .execute();
  }
}
