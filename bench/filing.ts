import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { profiled } from './cpu-profile.js';
import {
  createBenchEnvironment,
  startBenchService,
  type BenchEnvironment,
  type DatabaseKind,
} from './bench-service.js';
import type { BenchOptions } from './options.js';
import { storeDelivery } from '../src/inbound/store-delivery.js';
import { openStorage } from '../src/main.js';
import { readEnvelopeHeaders } from '../src/mail/envelope-headers.js';
import { headerBlockOf } from '../src/mail/header-capture.js';
import { createProject } from '../src/projects/project.repository.js';

export interface FilingResult {
  kind: DatabaseKind;
  /** Stored messages (duplicates in the mix are stored once) and how many ended up in `messages`. */
  stored: number;
  filed: number;
  threads: number;
  unfiled: number;
  seconds: number;
  /** Filed messages per second, from the first message's filing until the queue is idle. */
  rate: number;
  /** This process's CPU time over the filing wall time (200% = both cores busy in Node). */
  nodeCpuPercent: number;
  /**
   * How late the main event loop ran while filing (99th percentile and worst, ms): how long an
   * SMTP client or a web request could have waited for Docket to look at it.
   */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  stageRate: number;
}

const STAGE_CONCURRENCY = 8;

/**
 * Stores the burst with no service running, exactly as SMTP would (raw bytes to the blob store,
 * then `storeDelivery`), so nothing is filed while it is being stored. Returns the project id.
 */
async function storeBurst(
  environment: BenchEnvironment,
  messages: Buffer[],
): Promise<{ projectId: number; stored: number; rate: number }> {
  const { db, blobs, lock } = await openStorage(environment.config);
  try {
    const project = await createProject(db, { code: 'twr-a', name: 'Tower A' });
    const started = performance.now();
    let stored = 0;
    let next = 0;
    const stager = async () => {
      while (next < messages.length) {
        const message = messages[next++] as Buffer;
        const blob = await blobs.put(Readable.from([message]));
        const headers = readEnvelopeHeaders(headerBlockOf(message));
        const [row] = await storeDelivery(db, {
          blob,
          messageId: headers.messageId,
          transport: 'smtp',
          mailFrom: 'bench@client.example',
          clientAddress: '127.0.0.1',
          clientHostname: 'localhost',
          helo: 'client.example',
          smtpSessionId: null,
          receivedAt: new Date(),
          projects: [{ projectId: project.id, recipients: ['twr-a@docket.localhost'] }],
        });
        if (row?.isNew) stored++;
      }
    };
    await Promise.all(Array.from({ length: STAGE_CONCURRENCY }, stager));
    const rate = messages.length / ((performance.now() - started) / 1000);
    return { projectId: project.id, stored, rate };
  } finally {
    await db.destroy();
    lock?.release();
  }
}

/**
 * Stores the burst, then starts the real service, whose filing queue finds the stored messages at
 * start (as after a restart or an import) and files them. The rate runs from the first message's
 * filing time (`messages.filed_at` is taken as each message's filing starts) until
 * `service.filing.idle()`, so service start-up is not counted.
 */
export async function measureFiling(
  options: BenchOptions,
  kind: DatabaseKind,
  messages: Buffer[],
): Promise<FilingResult> {
  const environment = await createBenchEnvironment(kind, options.postgresUrl, options.docketEnv);
  try {
    const burst = await storeBurst(environment, messages);
    const service = await startBenchService(environment);
    try {
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      const cpuBefore = process.cpuUsage();
      const started = Date.now();
      loopDelay.enable();
      await profiled(`filing-${kind}`, () => service.filing.idle());
      loopDelay.disable();
      const ended = Date.now();
      const cpu = process.cpuUsage(cpuBefore);

      const counts = await sql<{
        first: Date | null;
        filed: number;
        threads: number;
        unfiled: number;
      }>`
        select
          (select min(filed_at) from messages where project_id = ${burst.projectId}) as first,
          (select count(*)::int from messages where project_id = ${burst.projectId}) as filed,
          (select count(*)::int from threads
            where project_id = ${burst.projectId} and merged_into is null) as threads,
          (select count(*)::int from inbound_messages
            where project_id = ${burst.projectId} and state = 'received') as unfiled
      `.execute(service.db);
      const { first = null, filed = 0, threads = 0, unfiled = 0 } = counts.rows[0] ?? {};
      const seconds = (ended - (first ? new Date(first).getTime() : started)) / 1000;
      return {
        kind,
        stored: burst.stored,
        filed,
        threads,
        unfiled,
        seconds,
        rate: filed / seconds,
        nodeCpuPercent: ((cpu.user + cpu.system) / 1e6 / ((ended - started) / 1000)) * 100,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        stageRate: burst.rate,
      };
    } finally {
      await service.stop();
    }
  } finally {
    await environment.cleanup();
  }
}
