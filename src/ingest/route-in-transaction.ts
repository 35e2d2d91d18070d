import type { Trx } from '../db/database.js';
import type { ParsedMail } from '../mail/parsed-mail.js';
import type { FilingReason } from '../mail/threading.js';
import type { RecordContext } from '../records/record-context.js';
import { routeFiledMessage } from '../records/route-message.js';
import type { Classification } from './classify.js';

/** Gathers what the record rules need about a message just filed, from inside the transaction. */
export async function routeInTransaction(
  trx: Trx,
  records: RecordContext,
  args: {
    projectId: number;
    inboundId: number;
    messageId: number;
    threadId: number;
    mail: ParsedMail;
    classification: Classification;
    attachmentIds: number[];
    raw: () => Promise<Buffer>;
    now: Date;
  },
): Promise<FilingReason[]> {
  const project = await trx
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', args.projectId)
    .executeTakeFirstOrThrow();
  const inbound = await trx
    .selectFrom('inbound_messages')
    .select(['id', 'rcpt_to', 'mail_from', 'client_address', 'helo', 'raw_sha256', 'transport'])
    .where('project_id', '=', args.projectId)
    .where('id', '=', args.inboundId)
    .executeTakeFirstOrThrow();
  const attachments = args.attachmentIds.length
    ? await trx
        .selectFrom('attachments')
        .select(['id', 'filename', 'content_type', 'size', 'blob_sha256', 'inline'])
        .where('project_id', '=', args.projectId)
        .where('id', 'in', args.attachmentIds)
        .orderBy('position')
        .execute()
    : [];
  return routeFiledMessage(
    trx,
    records,
    {
      project,
      inbound: {
        id: inbound.id,
        rcptTo: inbound.rcpt_to,
        mailFrom: inbound.mail_from,
        clientAddress: inbound.client_address,
        helo: inbound.helo,
        rawSha256: inbound.raw_sha256,
        transport: inbound.transport,
      },
      messageId: args.messageId,
      threadId: args.threadId,
      mail: args.mail,
      classification: args.classification,
      attachments: attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.content_type,
        size: a.size,
        sha256: a.blob_sha256,
        inline: a.inline,
      })),
    },
    args.raw,
    args.now,
  );
}
