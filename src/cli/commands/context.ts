import type { BlobStore } from '../../blobs/blob-store.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { TextIndexer } from '../../attachment-text/text-indexer.js';
import type { FilingQueue } from '../../ingest/filing-queue.js';
import type { CommandIo } from '../command-io.js';

/** What every command runs with: the open database and blob store, and where to print. */
export interface CommandContext {
  db: Db;
  blobs: BlobStore;
  config: Config;
  filing: FilingQueue;
  /** The running server's reader of attachments' text, if it has one; else a command makes its own. */
  texts?: TextIndexer | null;
  io: CommandIo;
  /**
   * Aborted when whoever asked for the command has gone (a `docket` interrupted while a running
   * server carries out its command); long commands stop at their next step.
   */
  signal?: AbortSignal;
}
