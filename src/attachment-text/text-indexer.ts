import type { BlobStore } from '../blobs/blob-store.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../log.js';
import { WorkPump } from '../work-pump.js';
import {
  claimPendingTexts,
  recordReading,
  releaseClaim,
  reuseEarlierReading,
  type ClaimedText,
} from './attachment-text.repository.js';
import { documentKind } from './document-kind.js';
import {
  DEFAULT_EXTRACTION_LIMITS,
  megabytes,
  type ExtractionLimits,
} from './extraction-limits.js';
import { ExtractionPool } from './extraction-pool.js';

/** A claim outlives the slowest reading allowed, with room for reading the file and writing. */
const LEASE_MARGIN_SECONDS = 300;
/**
 * Claims of one attachment before it is given up on. Each reading is bounded, so an attachment
 * claimed this often took its process down with it every time (or was claimed by processes that
 * kept stopping); giving up keeps such a file from taking the service down at every start.
 */
const MAX_ATTEMPTS = 3;

export interface TextIndexerOptions {
  /** Worker threads reading at once. */
  workers: number;
  limits?: ExtractionLimits;
}

/**
 * Reads the text of filed attachments, outside filing: filing only leaves them `pending` (a
 * database trigger does), and this job claims them (SKIP LOCKED, with a lease, so any number of
 * instances share the work and a crash loses nothing), reads each in a worker thread under the
 * extraction limits, and records the text or the reason there is none. Woken after filing and by
 * a periodic sweep, like the filing queue.
 */
export class TextIndexer {
  readonly #db: Db;
  readonly #blobs: BlobStore;
  readonly #log: Logger;
  readonly #limits: ExtractionLimits;
  readonly #pool: ExtractionPool;
  readonly #pump = new WorkPump(() => this.#run());

  constructor(deps: { db: Db; blobs: BlobStore }, log: Logger, options: TextIndexerOptions) {
    this.#db = deps.db;
    this.#blobs = deps.blobs;
    this.#log = log;
    this.#limits = options.limits ?? DEFAULT_EXTRACTION_LIMITS;
    this.#pool = new ExtractionPool(options.workers, this.#limits);
  }

  /** Something may wait to be read: look now. */
  notify(): void {
    this.#pump.notify();
  }

  /** Resolves once nothing is being read and nothing more was found to claim. */
  idle(): Promise<void> {
    return this.#pump.idle();
  }

  /**
   * Stops claiming and ends the workers at once (a PDF may take up to the time limit): the
   * readings they had in hand are handed back, to be claimed again on the next start.
   */
  async stop(): Promise<void> {
    const stopped = this.#pump.stop();
    await this.#pool.close();
    await stopped;
  }

  async #run(): Promise<void> {
    const leaseSeconds = Math.ceil(this.#limits.timeoutMs / 1000) + LEASE_MARGIN_SECONDS;
    while (this.#pump.lookAgain()) {
      const claimed = await claimPendingTexts(this.#db, this.#pool.size * 2, leaseSeconds).catch(
        (error: unknown) => {
          this.#log.error({ err: error }, 'could not claim attachments to read');
          return [];
        },
      );
      if (claimed.length === 0) continue;
      this.#pump.foundWork();
      let next = 0;
      const worker = async () => {
        for (let item = claimed[next++]; item; item = claimed[next++]) await this.#index(item);
      };
      await Promise.all(Array.from({ length: this.#pool.size }, worker));
    }
  }

  async #index(text: ClaimedText): Promise<void> {
    const log = { project: text.project_id, attachment: text.attachment_id };
    try {
      if (text.attempts > MAX_ATTEMPTS) {
        await recordReading(this.#db, text, {
          state: 'failed',
          kind: null,
          reason: `given up after ${MAX_ATTEMPTS} attempts that never finished`,
        });
        return;
      }
      if (await reuseEarlierReading(this.#db, text)) return;
      if (text.size > this.#limits.maxBytes) {
        await recordReading(this.#db, text, {
          state: 'no_text',
          kind: 'too-large',
          reason: `${megabytes(text.size)}, more than the ${megabytes(this.#limits.maxBytes)} Docket reads`,
        });
        return;
      }
      const bytes = await this.#blobs.read(text.blob_sha256);
      const kind = documentKind(bytes.subarray(0, 4096), text.content_type, text.filename);
      const outcome = kind.reader
        ? await this.#pool.extract(bytes, kind.reader)
        : { state: 'no_text' as const, kind: kind.kind, reason: kind.reason };
      if (outcome.state === 'failed' && this.#pump.stopped) {
        await releaseClaim(this.#db, text);
        return;
      }
      await recordReading(this.#db, text, outcome);
      this.#log.debug({ ...log, state: outcome.state, kind: outcome.kind }, 'attachment read');
    } catch (error) {
      // Storage or the database failed us, not the file: the lease runs out and it is read again.
      this.#log.error({ err: error, ...log }, 'could not read an attachment; will retry');
    }
  }
}
