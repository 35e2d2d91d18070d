import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { DeliveryBatcher } from '../../inbound/delivery-batcher.js';
import type { StoredDelivery } from '../../inbound/store-delivery.js';
import { readEnvelopeHeaders } from '../../mail/envelope-headers.js';
import { headerBlockOf } from '../../mail/header-capture.js';
import { openMailSource, type SourceMessage } from '../../ingest/mail-source.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import type { CommandContext } from './context.js';

export interface ImportInput {
  code: string;
  /** An absolute path: an mbox file, an .eml file or a folder of .eml files. */
  source: string;
}

/**
 * Messages being stored at once. Their blob writes overlap and their rows share group commits,
 * the way concurrent SMTP connections do; the window also bounds the memory an import holds.
 */
const STORE_WINDOW = 32;
const FILING_POLL_MS = 500;

/**
 * Imports existing mail into a project's log the way SMTP delivers it: raw bytes stored first,
 * the same message stored once, then filed by the same pipeline, which starts on the first
 * messages while the rest are still being read. Each message keeps its original date (its Date
 * header, else the mbox separator's time).
 */
export async function importMail(ctx: CommandContext, input: ImportInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const source = await openMailSource(input.source);
  const deliveries = new DeliveryBatcher(ctx.db);
  const recipients = [`${project.code}@${ctx.config.mailDomain}`];
  const progress = ctx.io.progress(source.totalBytes, `Importing into ${project.code}`, 'messages');
  const imported = { count: 0, duplicates: 0, firstId: Infinity, lastId: 0 };

  const store = async (message: SourceMessage): Promise<void> => {
    const blob = await ctx.blobs.put(Readable.from([message.content]));
    const headers = readEnvelopeHeaders(headerBlockOf(message.content));
    const [stored] = await deliveries.store({
      blob,
      messageId: headers.messageId,
      transport: 'import',
      mailFrom: null,
      clientAddress: null,
      clientHostname: null,
      helo: null,
      smtpSessionId: null,
      receivedAt: headers.date ?? message.time ?? new Date(),
      projects: [{ projectId: project.id, recipients }],
    });
    count(imported, stored);
    progress.tick(message.content.length, 1);
    if (imported.count % 200 === 0) ctx.filing.notify();
  };

  const inFlight = new Set<Promise<void>>();
  try {
    for await (const message of source.messages) {
      // Interrupted: what is stored stays stored and is filed; the rest is not read.
      ctx.signal?.throwIfAborted();
      const task = store(message);
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task)).catch(() => undefined);
      if (inFlight.size >= STORE_WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
    progress.stop();
    ctx.filing.notify();
  }
  await waitForFiling(ctx, project.id, imported);

  const warned = imported.count === 0 ? 0 : await countWithWarnings(ctx, project.id, imported);
  ctx.io.out(
    `Imported ${imported.count} message${imported.count === 1 ? '' : 's'} into ${project.code}; ` +
      `${imported.duplicates} duplicate${imported.duplicates === 1 ? '' : 's'} skipped; ${warned} filed with parse warnings.`,
  );
}

/** Imported messages that were filed with parse warnings. */
async function countWithWarnings(
  ctx: CommandContext,
  projectId: number,
  imported: { firstId: number; lastId: number },
): Promise<number> {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from messages m
    join inbound_messages i on i.project_id = m.project_id and i.id = m.inbound_id
    where m.project_id = ${projectId} and m.inbound_id between ${imported.firstId} and ${imported.lastId}
      and i.transport = 'import' and cardinality(m.parse_warnings) > 0
  `.execute(ctx.db);
  return result.rows[0]?.count ?? 0;
}

function count(
  imported: { count: number; duplicates: number; firstId: number; lastId: number },
  stored: StoredDelivery | undefined,
): void {
  if (!stored?.isNew) {
    imported.duplicates++;
    return;
  }
  imported.count++;
  imported.firstId = Math.min(imported.firstId, stored.inboundId);
  imported.lastId = Math.max(imported.lastId, stored.inboundId);
}

/** Waits until the imported messages are filed, with a bar of its own when filing lags behind. */
async function waitForFiling(
  ctx: CommandContext,
  projectId: number,
  imported: { count: number; firstId: number; lastId: number },
): Promise<void> {
  if (imported.count === 0) return ctx.filing.idle();
  const unfiled = async () => {
    const result = await sql<{ count: number }>`
      select count(*)::int as count from inbound_messages
      where state = 'received' and project_id = ${projectId}
        and id between ${imported.firstId} and ${imported.lastId}
    `.execute(ctx.db);
    return result.rows[0]?.count ?? 0;
  };
  let waiting = await unfiled();
  if (waiting === 0) return;
  const progress = ctx.io.progress(imported.count, 'Filing', 'messages');
  progress.tick(imported.count - waiting, 0);
  try {
    while (waiting > 0) {
      ctx.signal?.throwIfAborted();
      const idle = ctx.filing.idle();
      await Promise.race([idle, sleep(FILING_POLL_MS)]);
      const now = await unfiled();
      progress.tick(waiting - now, waiting - now);
      waiting = now;
      // The queue went idle with messages left: their filing failed and waits for a retry.
      if (waiting > 0 && (await Promise.race([idle.then(() => true), sleep(0, false)]))) break;
    }
  } finally {
    progress.stop();
  }
}
