import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import type { Logger } from '../log.js';
import { WorkPump } from '../work-pump.js';
import {
  degradedMail,
  fileMessages,
  type FilingContext,
  type InboundForFiling,
} from './file-message.js';
import type { FilingItem } from './filing-run.js';
import { ParsePool, type RawSource } from './parse-pool.js';
import type { PreparedMail } from './prepare-mail.js';

interface ClaimedMessage extends InboundForFiling {
  attempts: number;
  last_error: string | null;
}

interface PreparedBatch {
  items: FilingItem[];
  claimed: Map<number, ClaimedMessage>;
}

export interface FilingQueueOptions {
  /** Messages claimed, parsed and filed together (per project, one transaction). */
  batchSize?: number;
  /**
   * Raw bytes that end a batch: it takes messages until their sizes reach this, so a run of large
   * messages is claimed a few at a time, and one larger than this goes alone. A batch holds at
   * most this and one message more.
   */
  batchBytes?: number;
  /** Worker threads that parse; 0 parses on the main thread. Default: one per core. */
  parsers?: number;
  /** How long a claim holds before another worker (or instance) may take the message over. */
  claimSeconds?: number;
  /** After this many failed attempts a message waits longer between tries. */
  maxQuickAttempts?: number;
  /** Called after each batch is filed (filing may have queued notifications to deliver). */
  afterFiled?: () => void;
  /**
   * Awaited before each batch is written: the inbox's senders, waiting for their `250`, go
   * first (see `DeliveryBatcher.quiet`). Filing catches up the moment a burst ends.
   */
  yieldTo?: () => Promise<void>;
}

/**
 * Files stored messages right behind the SMTP `250`. Work is claimed from the database in
 * batches with `FOR UPDATE SKIP LOCKED` and a lease, so several instances share it, a crash loses
 * nothing (the lease runs out and the message is claimed again), and messages left over from a
 * previous run are filed on start. Worker threads parse and classify a batch while the one before
 * it is written, so the event loop that answers SMTP only claims and commits; each project's share
 * of a batch is written in one transaction, in the order the messages arrived. Memory is bounded
 * by two batches, each bounded in messages and in raw bytes: the one being parsed and the one
 * being written.
 *
 * Why 256 messages a batch: every statement of a batch costs its parse, plan, round trip and
 * commit whatever its size, and filing is bound by CPU; 256 instead of 64 filed 13% more a
 * second on PostgreSQL and 20-25% more on the embedded database (bench:ingest, 5 December).
 */
export class FilingQueue {
  readonly #context: FilingContext;
  readonly #log: Logger;
  readonly #batchSize: number;
  readonly #batchBytes: number;
  readonly #claimSeconds: number;
  readonly #maxQuickAttempts: number;
  readonly #afterFiled: () => void;
  readonly #yieldTo: () => Promise<void>;
  readonly #parsers: ParsePool;
  readonly #pump = new WorkPump(() => this.#run());

  constructor(context: FilingContext, log: Logger, options: FilingQueueOptions = {}) {
    this.#context = context;
    this.#log = log;
    this.#batchSize = options.batchSize ?? 256;
    this.#batchBytes = options.batchBytes ?? 16 * 1024 * 1024;
    this.#claimSeconds = options.claimSeconds ?? 300;
    this.#maxQuickAttempts = options.maxQuickAttempts ?? 5;
    this.#afterFiled = options.afterFiled ?? (() => undefined);
    this.#yieldTo = options.yieldTo ?? (() => Promise.resolve());
    this.#parsers = new ParsePool(context.blobs.writerSpec, {
      size: options.parsers ?? availableParallelism(),
    });
  }

  /** Something was stored: look for work now. */
  notify(): void {
    this.#pump.notify();
  }

  /** Resolves once nothing is being filed and nothing more was found to claim. */
  idle(): Promise<void> {
    return this.#pump.idle();
  }

  /** Stops claiming new work, waits for the messages in hand to be filed, ends the parsers. */
  async stop(): Promise<void> {
    await this.#pump.stop();
    await this.#parsers.close();
  }

  /** Claims and parses the next batch while the previous one is written. */
  async #run(): Promise<void> {
    let next = this.#nextBatch();
    for (;;) {
      const batch = await next;
      if (!batch) return;
      next = this.#pump.stopped ? Promise.resolve(null) : this.#nextBatch();
      await this.#yieldTo();
      await this.#write(batch);
      // The batch may have stored mail of its own (the outbox's copies of the notifications it
      // queued), which the claim running beside the write could not see yet.
      this.#pump.foundWork();
    }
  }

  async #nextBatch(): Promise<PreparedBatch | null> {
    while (this.#pump.lookAgain()) {
      const claimed = await this.#claim(this.#batchSize).catch((error: unknown) => {
        this.#log.error({ err: error }, 'could not claim messages to file');
        return [];
      });
      if (claimed.length === 0) continue;
      this.#pump.foundWork();
      const inline = await this.#inlineRaws(claimed).catch(() => new Map<string, Buffer>());
      const prepared = await Promise.all(
        claimed.map((item) => this.#prepare(item, inline.get(item.raw_sha256))),
      );
      const items = prepared.filter((item): item is FilingItem => item !== null);
      if (items.length > 0) {
        return { items, claimed: new Map(claimed.map((item) => [item.id, item])) };
      }
    }
    return null;
  }

  async #claim(limit: number): Promise<ClaimedMessage[]> {
    const now = new Date();
    const until = new Date(now.getTime() + this.#claimSeconds * 1000);
    // Rows are locked first (FOR UPDATE cannot sit beside a window function), then cut where the
    // running size passes the byte bound; the rows left out are unlocked when the statement ends.
    const claimed = await this.#context.db
      .with('candidates', (db) =>
        db
          .selectFrom('inbound_messages')
          .select(['project_id', 'id', 'raw_size'])
          .where('state', '=', 'received')
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .with('sized', (db) =>
        db
          .selectFrom('candidates')
          .select([
            'project_id',
            'id',
            sql<number>`sum(raw_size) over (order by id) - raw_size`.as('bytes_before'),
          ]),
      )
      .updateTable('inbound_messages')
      .set((eb) => ({ claimed_until: until, attempts: eb('attempts', '+', 1) }))
      .where((eb) =>
        eb(
          eb.refTuple('project_id', 'id'),
          'in',
          eb
            .selectFrom('sized')
            .select(['project_id', 'id'])
            // The first message has nothing before it, so a batch always holds one.
            .where('bytes_before', '<', this.#batchBytes)
            .$asTuple('project_id', 'id'),
        ),
      )
      .returning([
        'project_id',
        'id',
        'raw_sha256',
        'mail_from',
        'received_at',
        'transport',
        'rcpt_to',
        'attempts',
        'last_error',
      ])
      .execute();
    return claimed.sort((a, b) => a.id - b.id);
  }

  /**
   * The raw bytes of the batch's messages that live in their database row, read in one statement
   * (the others are files, which the workers read themselves).
   */
  async #inlineRaws(claimed: ClaimedMessage[]): Promise<Map<string, Buffer>> {
    if (this.#context.blobs.writerSpec.inlineMaxBytes === 0) return new Map();
    const rows = await this.#context.db
      .selectFrom('blobs')
      .select(['sha256', 'data'])
      .where(sql<boolean>`sha256 = any(${[...new Set(claimed.map((c) => c.raw_sha256))]}::text[])`)
      .where('data', 'is not', null)
      .execute();
    return new Map(
      rows.flatMap(({ sha256, data }) =>
        data ? [[sha256, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]] : [],
      ),
    );
  }

  /** Parses one claimed message in a worker; a failure is recorded and the message left for later. */
  async #prepare(item: ClaimedMessage, inline: Buffer | undefined): Promise<FilingItem | null> {
    // A message that keeps failing is filed from its headers alone rather than never.
    const degraded = item.attempts > this.#maxQuickAttempts && item.last_error !== null;
    try {
      const prepared: PreparedMail = degraded
        ? await degradedMail(this.#context.blobs, item.raw_sha256, item.last_error ?? '')
        : await this.#parsers.prepare({
            raw: await this.#rawSource(item.raw_sha256, inline),
            envelope: { mailFrom: item.mail_from, fromOutbox: item.transport === 'outbound' },
          });
      return { inbound: item, prepared, degraded };
    } catch (error) {
      await this.#failed(item, error);
      return null;
    }
  }

  /** The raw message as a worker reads it: the bytes when they live in the row, else the file. */
  async #rawSource(sha256: string, inline: Buffer | undefined): Promise<RawSource> {
    const { blobs } = this.#context;
    // Copied into a buffer of its own, which is handed over to the worker without a second copy.
    if (inline) return { bytes: new Uint8Array(inline) };
    if (blobs.writerSpec.root !== null) return { file: sha256 };
    return { bytes: new Uint8Array(await blobs.read(sha256)) };
  }

  async #write(batch: PreparedBatch): Promise<void> {
    const byProject = new Map<number, FilingItem[]>();
    for (const item of batch.items) {
      const list = byProject.get(item.inbound.project_id) ?? [];
      list.push(item);
      byProject.set(item.inbound.project_id, list);
    }
    for (const [projectId, items] of byProject) {
      try {
        await fileMessages(this.#context, projectId, items, new Date());
      } catch (error) {
        const claimedOf = (item: FilingItem) =>
          batch.claimed.get(item.inbound.id) as ClaimedMessage;
        if (items.length === 1) {
          await this.#failed(claimedOf(items[0] as FilingItem), error);
          continue;
        }
        // One message spoiled the batch: file them one by one, so only that one waits.
        this.#log.warn(
          { err: error, project: projectId },
          'batch filing failed; filing one by one',
        );
        for (const item of items) {
          await fileMessages(this.#context, projectId, [item], new Date()).catch(
            (single: unknown) => this.#failed(claimedOf(item), single),
          );
        }
      }
    }
    this.#log.debug({ filed: batch.items.length }, 'messages filed');
    this.#afterFiled();
  }

  /** The raw message is safe; note why and try again later, backing off after a few failures. */
  async #failed(item: ClaimedMessage, error: unknown): Promise<void> {
    const delaySeconds = item.attempts < this.#maxQuickAttempts ? 5 * item.attempts : 600;
    this.#log.error(
      { err: error, project: item.project_id, inbound: item.id },
      'filing failed; will retry',
    );
    await this.#context.db
      .updateTable('inbound_messages')
      .set({
        last_error: error instanceof Error ? error.message : String(error),
        claimed_until: sql<Date>`now() + make_interval(secs => ${delaySeconds})`,
      })
      .where('project_id', '=', item.project_id)
      .where('id', '=', item.id)
      .execute()
      .catch((updateError: unknown) =>
        this.#log.error({ err: updateError }, 'could not record filing failure'),
      );
  }
}
