import { Readable } from 'node:stream';
import { storeDelivery } from '../../inbound/store-delivery.js';
import { readEnvelopeHeaders } from '../../mail/envelope-headers.js';
import { headerBlockOf } from '../../mail/header-capture.js';
import { openMailSource } from '../../ingest/mail-source.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import type { CommandContext } from './context.js';

export interface ImportInput {
  code: string;
  /** An absolute path: an mbox file, an .eml file or a folder of .eml files. */
  source: string;
}

/**
 * Imports existing mail into a project's log the way SMTP delivers it: raw bytes stored first,
 * the same message stored once, then filed by the same pipeline. Each message keeps its original
 * date (its Date header, else the mbox separator's time).
 */
export async function importMail(ctx: CommandContext, input: ImportInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const source = await openMailSource(input.source);
  const progress = ctx.io.progress(source.totalBytes, `Importing into ${project.code}`);
  let imported = 0;
  let duplicates = 0;
  const inboundIds: number[] = [];
  try {
    for await (const message of source.messages) {
      // Interrupted: what is stored stays stored and is filed; the rest is not read.
      ctx.signal?.throwIfAborted();
      const blob = await ctx.blobs.put(Readable.from([message.content]));
      const headers = readEnvelopeHeaders(headerBlockOf(message.content));
      const [stored] = await storeDelivery(ctx.db, {
        blob,
        messageId: headers.messageId,
        transport: 'import',
        mailFrom: null,
        clientAddress: null,
        clientHostname: null,
        helo: null,
        smtpSessionId: null,
        receivedAt: headers.date ?? message.time ?? new Date(),
        projects: [
          { projectId: project.id, recipients: [`${project.code}@${ctx.config.mailDomain}`] },
        ],
      });
      if (stored?.isNew) {
        imported++;
        inboundIds.push(stored.inboundId);
      } else duplicates++;
      progress.tick(message.content.length);
      if (imported % 50 === 0) ctx.filing.notify();
    }
  } finally {
    progress.stop();
    ctx.filing.notify();
  }
  await ctx.filing.idle();

  const filed = await ctx.db
    .selectFrom('messages')
    .select(({ fn }) => [fn.countAll<number>().as('count')])
    .where('project_id', '=', project.id)
    .where('inbound_id', 'in', inboundIds.length > 0 ? inboundIds : [-1])
    .where((eb) => eb(eb.fn('cardinality', ['parse_warnings']), '>', 0))
    .executeTakeFirstOrThrow();
  ctx.io.out(
    `Imported ${imported} message${imported === 1 ? '' : 's'} into ${project.code}; ` +
      `${duplicates} duplicate${duplicates === 1 ? '' : 's'} skipped; ${Number(filed.count)} filed with parse warnings.`,
  );
}
