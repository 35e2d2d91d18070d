import { sql } from 'kysely';
import type { InboundTransport } from '../db/database.js';
import type { Logger } from '../log.js';
import { fileInboundMessage, type FilingContext } from './file-message.js';

interface ClaimedMessage {
  project_id: number;
  id: number;
  raw_sha256: string;
  mail_from: string | null;
  received_at: Date;
  transport: InboundTransport;
  attempts: number;
  last_error: string | null;
}

export interface FilingQueueOptions {
  /** Messages parsed at once; parsing of one overlaps the database writes of another. */
  concurrency?: number;
  /** How long a claim holds before another worker (or instance) may take the message over. */
  claimSeconds?: number;
  /** After this many failed attempts a message waits longer between tries. */
  maxQuickAttempts?: number;
  /** Called after each message is filed (filing may have queued notifications to deliver). */
  afterFiled?: () => void;
}

/**
 * Files stored messages right behind the SMTP `250`. Work is claimed from the database with
 * `FOR UPDATE SKIP LOCKED` and a lease, so several workers or instances share it, a crash loses
 * nothing (the lease runs out and the message is claimed again), and messages left over from a
 * previous run are filed on start.
 */
export class FilingQueue {
  readonly #context: FilingContext;
  readonly #log: Logger;
  readonly #concurrency: number;
  readonly #claimSeconds: number;
  readonly #maxQuickAttempts: number;
  readonly #afterFiled: () => void;
  #running = 0;
  #wanted = false;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];
  #pump: Promise<void> | null = null;

  constructor(context: FilingContext, log: Logger, options: FilingQueueOptions = {}) {
    this.#context = context;
    this.#log = log;
    this.#concurrency = options.concurrency ?? 4;
    this.#claimSeconds = options.claimSeconds ?? 300;
    this.#maxQuickAttempts = options.maxQuickAttempts ?? 5;
    this.#afterFiled = options.afterFiled ?? (() => undefined);
  }

  /** Something was stored: look for work now. */
  notify(): void {
    if (this.#stopped) return;
    this.#wanted = true;
    this.#pump ??= this.#run().finally(() => {
      this.#pump = null;
      if (this.#wanted && !this.#stopped) this.notify();
      else this.#resolveIdle();
    });
  }

  /** Resolves once nothing is being filed and nothing more was found to claim. */
  idle(): Promise<void> {
    if (!this.#pump) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops claiming new work and waits for the messages in hand to be filed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#pump;
  }

  async #run(): Promise<void> {
    while (this.#wanted && !this.#stopped) {
      this.#wanted = false;
      const claimed = await this.#claim(this.#concurrency * 4).catch((error: unknown) => {
        this.#log.error({ err: error }, 'could not claim messages to file');
        return [];
      });
      if (claimed.length === 0) continue;
      this.#wanted = true;
      let next = 0;
      const worker = async () => {
        while (next < claimed.length) {
          const item = claimed[next++];
          if (item) await this.#fileOne(item);
        }
      };
      this.#running = Math.min(this.#concurrency, claimed.length);
      await Promise.all(Array.from({ length: this.#running }, worker));
      this.#running = 0;
    }
  }

  async #claim(limit: number): Promise<ClaimedMessage[]> {
    const now = new Date();
    const until = new Date(now.getTime() + this.#claimSeconds * 1000);
    return this.#context.db
      .updateTable('inbound_messages')
      .set((eb) => ({ claimed_until: until, attempts: eb('attempts', '+', 1) }))
      .where((eb) =>
        eb(
          eb.refTuple('project_id', 'id'),
          'in',
          eb
            .selectFrom('inbound_messages')
            .select(['project_id', 'id'])
            .where('state', '=', 'received')
            .where((inner) =>
              inner.or([inner('claimed_until', 'is', null), inner('claimed_until', '<', now)]),
            )
            .orderBy('id')
            .limit(limit)
            .forUpdate()
            .skipLocked()
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
        'attempts',
        'last_error',
      ])
      .execute();
  }

  async #fileOne(item: ClaimedMessage): Promise<void> {
    try {
      // A message that keeps failing is filed from its headers alone rather than never.
      const degraded = item.attempts > this.#maxQuickAttempts && item.last_error !== null;
      const filed = await fileInboundMessage(
        this.#context,
        item,
        new Date(),
        degraded ? { degradedBecause: item.last_error ?? '' } : {},
      );
      this.#log.debug({ project: item.project_id, inbound: item.id, ...filed }, 'message filed');
      this.#afterFiled();
    } catch (error) {
      // The raw message is safe; note why and try again later, backing off after a few failures.
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

  #resolveIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
