import { once } from 'node:events';
import type { AddressInfo, Server as NetServer } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { BlobStore } from './blobs/blob-store.js';
import { createBlobStore } from './blobs/create-blob-store.js';
import { TextIndexer } from './attachment-text/text-indexer.js';
import { serveControlSocket } from './cli/control-socket.js';
import type { Config } from './config.js';
import { createDb } from './db/create-db.js';
import type { Db } from './db/database.js';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock.js';
import { migrateToLatest } from './db/migrator.js';
import { DeliveryBatcher } from './inbound/delivery-batcher.js';
import { createInboundServer, type InboundServer } from './inbound/smtp-server.js';
import { FilingQueue } from './ingest/filing-queue.js';
import { configuredRecordContext } from './records/configured-record-context.js';
import type { DNSResolver } from 'mailauth';
import { OutboxDelivery } from './outbox/delivery-worker.js';
import { categoryLogger, type Logger } from './log.js';
import { startScheduler, type Scheduler } from './scheduler/scheduler.js';
import { scheduledJobs } from './scheduler/jobs.js';
import { createWebApp } from './web/app.js';
import { webBaseUrl } from './auth/web-login-link.js';
import { VERSION } from './version.js';

/** Messages whose filing failed, or that an earlier process left unfiled, are looked for this often. */
const FILING_SWEEP_MS = 15_000;
/** While mail keeps arriving, filing writes a batch at least this often. */
const FILING_YIELD_MS = 1_000;

export interface Service {
  config: Config;
  db: Db;
  blobs: BlobStore;
  filing: FilingQueue;
  /** Reads filed attachments' text; null when ATTACHMENT_TEXT_WORKERS is 0. */
  texts: TextIndexer | null;
  delivery: OutboxDelivery | null;
  smtpPort: number;
  httpPort: number;
  stop(): Promise<void>;
}

/**
 * Opens the embedded database's data directory (refusing a second process) or PostgreSQL, and the
 * blob store. Used by `docket serve` and by one-off commands when no server holds the directory.
 */
export async function openStorage(
  config: Config,
): Promise<{ db: Db; blobs: BlobStore; lock: DataDirLock | null }> {
  const lock = config.databaseUrl ? null : lockDataDir(config.dataDir);
  try {
    const db = createDb({
      onIdleClientError: (error) =>
        process.emitWarning(`PostgreSQL connection lost: ${error.message}`),
      // Without its database Docket can only refuse mail and pages; ending lets a supervisor
      // start it afresh (what was committed is on disk, senders retry what was not answered).
      onEmbeddedFailure: (error) => {
        process.stderr.write(`docket: the embedded database failed (${error.message}); exiting\n`);
        process.exit(1);
      },
      databaseUrl: config.databaseUrl,
      embeddedDir: path.join(config.dataDir, 'pglite'),
    });
    await migrateToLatest(db);
    const blobs = createBlobStore(config.blobStore, config.dataDir, db, config.blobInlineMaxBytes);
    return { db, blobs, lock };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * The composition root of `docket serve`: storage, then filing, then the SMTP and HTTP listeners
 * (and the control socket for other `docket` commands), stopped in the reverse order.
 */
export interface ServiceOptions {
  /** Tests serve their own DNS records to sender authentication. */
  dnsResolver?: DNSResolver;
}

export async function startService(
  config: Config,
  rootLog: Logger,
  options: ServiceOptions = {},
): Promise<Service> {
  const log = categoryLogger(rootLog, 'service');
  const { db, blobs, lock } = await openStorage(config);
  const records = configuredRecordContext(config, blobs, options.dnsResolver);
  // Filing may queue notifications (submittals, decisions); delivery starts right behind it, and
  // so does reading the text of the attachments it filed.
  let delivery: OutboxDelivery | null = null;
  const texts =
    config.attachmentTextWorkers > 0
      ? new TextIndexer({ db, blobs }, categoryLogger(rootLog, 'texts'), {
          workers: config.attachmentTextWorkers,
        })
      : null;
  // Accepted mail commits in groups; filing lets a burst of senders go first, then catches up.
  const deliveries = new DeliveryBatcher(db);
  const filing = new FilingQueue(
    { db, blobs, mailDomain: config.mailDomain, records },
    categoryLogger(rootLog, 'ingest'),
    {
      afterFiled: () => {
        delivery?.notify();
        texts?.notify();
      },
      parsers: config.filingWorkers,
      yieldTo: () => deliveries.quiet(FILING_YIELD_MS),
    },
  );
  filing.notify();
  texts?.notify();
  delivery = config.relayUrl
    ? new OutboxDelivery(db, blobs, categoryLogger(rootLog, 'outbox'), {
        relayUrl: config.relayUrl,
        maxAttempts: config.outboxMaxAttempts,
      })
    : null;
  delivery?.notify();
  const sweep = setInterval(() => {
    filing.notify();
    delivery?.notify();
    texts?.notify();
  }, FILING_SWEEP_MS);

  let inbound: InboundServer | null = null;
  let http: ServerType | null = null;
  let control: NetServer | null = null;
  let scheduler: Scheduler | null = null;
  const stop = async () => {
    clearInterval(sweep);
    await scheduler?.stop();
    // Stop taking new mail first, letting transactions in flight commit and answer.
    await inbound?.close();
    if (http) await new Promise<void>((resolve) => http?.close(() => resolve()));
    if (control) await new Promise<void>((resolve) => control?.close(() => resolve()));
    await filing.stop();
    await texts?.stop();
    await delivery?.stop();
    await db.destroy();
    lock?.release();
    log.info('stopped');
  };

  try {
    inbound = createInboundServer({
      db,
      blobs,
      config,
      log: categoryLogger(rootLog, 'smtp'),
      store: (delivery) => deliveries.store(delivery),
      onStored: () => filing.notify(),
    });
    inbound.smtp.listen(config.smtp.port, config.smtp.host);
    await once(inbound.smtp.server, 'listening');
    const smtpPort = (inbound.smtp.server.address() as AddressInfo).port;

    const app = createWebApp({
      db,
      blobs,
      version: VERSION,
      mail: {
        outbox: records.outbox,
        publicUrl: webBaseUrl(config.http),
        afterQueued: () => delivery?.notify(),
      },
      trustProxy: config.http.trustProxy,
      secret: config.secret,
    });
    http = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host });
    await once(http, 'listening');
    const httpPort = (http.address() as AddressInfo).port;

    if (lock) {
      control = await serveControlSocket(
        lock.socketPath,
        { db, blobs, config, filing, texts },
        categoryLogger(rootLog, 'cli'),
      );
    }
    if (config.scheduler) {
      const jobsLog = categoryLogger(rootLog, 'jobs');
      const reminders = { records, baseUrl: webBaseUrl(config.http) };
      const jobs = scheduledJobs({ db, reminders, delivery, log: jobsLog });
      scheduler = startScheduler(jobs, jobsLog);
    }
    log.info(
      {
        smtp: `${config.smtp.host}:${smtpPort}`,
        http: `${config.http.host}:${httpPort}`,
        lmtp: config.smtp.lmtp,
        database: config.databaseUrl ? 'postgresql' : 'embedded',
      },
      'docket is running',
    );
    return { config, db, blobs, filing, texts, delivery, smtpPort, httpPort, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
