import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { insertBlobRows } from '../blobs/blob-store.js';
import type { OutboxAttachment, Trx } from '../db/database.js';
import { composeMail } from './compose.js';
import type { OutboxContext } from './enqueue.js';

/**
 * Outbox rows about no project (login links) carry this project id. They are delivered like any
 * other mail but never filed in a project's log nor shown on a project's outbox page: a login
 * link in a shared log would let every reader sign in as its owner.
 */
export const SYSTEM_MAIL_PROJECT_ID = 0;

/**
 * Writes one mail from Docket itself to the outbox in the caller's transaction. Unlike
 * `enqueueMail` the copy is stored (delivery sends the stored bytes) but not filed.
 */
export async function enqueueSystemMail(
  trx: Trx,
  context: OutboxContext,
  mail: {
    kind: string;
    template: string;
    data: Record<string, unknown>;
    to: string;
    attachments?: OutboxAttachment[];
  },
  now: Date,
): Promise<{ outboxId: number }> {
  const rendered = context.templates.render(mail.template, mail.data);
  const attachments = await Promise.all(
    (mail.attachments ?? []).map(async (a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: await context.blobs.read(a.sha256, trx),
    })),
  );
  const address = `docket@${context.mailDomain}`;
  const messageId = `docket.${mail.kind}.${randomBytes(8).toString('hex')}@${context.mailDomain}`;
  const headers = {
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'OOF, AutoReply',
  };
  const raw = await composeMail({
    messageId,
    from: { name: 'Docket', address },
    to: [mail.to],
    replyTo: null,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    inReplyTo: null,
    references: [],
    headers,
    attachments,
    date: now,
  });
  const blob = await context.blobs.put(Readable.from([raw]));
  await insertBlobRows(trx, [blob]).execute();
  const row = await trx
    .insertInto('outbox')
    .values({
      project_id: SYSTEM_MAIL_PROJECT_ID,
      kind: mail.kind,
      status: context.relayConfigured ? 'queued' : 'captured',
      message_id: messageId,
      raw_sha256: blob.sha256,
      envelope_from: address,
      from_address: address,
      to_addresses: [mail.to],
      reply_to: null,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      headers: JSON.stringify(headers),
      attachments: JSON.stringify(mail.attachments ?? []),
      record_type: null,
      record_id: null,
      thread_id: null,
      next_attempt_at: context.relayConfigured ? now : null,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { outboxId: row.id };
}
