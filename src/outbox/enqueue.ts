import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { BlobStore } from '../blobs/blob-store.js';
import type { OutboxAttachment, Trx } from '../db/database.js';
import { recordDelivery } from '../inbound/store-delivery.js';
import { composeMail } from './compose.js';
import { REPLY_ABOVE_MARKER } from './reply-above-marker.js';
import type { MailTemplates } from './templates.js';

export { REPLY_ABOVE_MARKER };

export interface OutboxContext {
  blobs: BlobStore;
  templates: MailTemplates;
  mailDomain: string;
  /** With no relay, mail is kept in the outbox as 'captured' and never leaves the machine. */
  relayConfigured: boolean;
}

export interface NewOutboundMail {
  project: { id: number; code: string; name: string };
  kind: string;
  template: string;
  data: Record<string, unknown>;
  to: string[];
  replyTo?: string | null;
  /** The record the mail is about; its label (`03 30 00-007.1`) goes into the Message-ID. */
  record?: { type: string; id: number; label: string } | null;
  threadId?: number | null;
  attachments?: OutboxAttachment[];
}

/**
 * Writes a notification to the outbox in the caller's transaction — the same one as the change
 * that caused it, so a change is never committed without its mail or its mail without the change.
 * The exact bytes are composed now and stored like inbound mail, so the copy is filed in the
 * record's thread and delivery later sends precisely what was filed.
 */
export async function enqueueMail(
  trx: Trx,
  context: OutboxContext,
  mail: NewOutboundMail,
  now: Date,
): Promise<{ outboxId: number; messageId: string }> {
  const { project } = mail;
  const rendered = context.templates.render(mail.template, {
    ...mail.data,
    project,
    replyAboveMarker: REPLY_ABOVE_MARKER,
  });
  const slug = (mail.record?.label ?? mail.kind).toLowerCase().replace(/[^a-z0-9.]+/g, '-');
  const messageId = `${project.code}.${slug}.${mail.kind}.${randomBytes(6).toString('hex')}@${context.mailDomain}`;
  const references = mail.threadId ? await threadReferences(trx, project.id, mail.threadId) : [];
  const envelopeFrom = `${project.code}+bounces@${context.mailDomain}`;
  const attachments = await Promise.all(
    (mail.attachments ?? []).map(async (a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: await context.blobs.read(a.sha256, trx),
    })),
  );
  const headers = {
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'OOF, AutoReply',
    ...(mail.record ? { 'X-Docket-Record': `${mail.record.type} ${mail.record.label}` } : {}),
  };
  const raw = await composeMail({
    messageId,
    from: { name: `${project.name} (Docket)`, address: `${project.code}@${context.mailDomain}` },
    to: mail.to,
    replyTo: mail.replyTo ?? null,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    inReplyTo: references.at(-1) ?? null,
    references,
    headers,
    attachments,
    date: now,
  });
  const blob = await context.blobs.put(Readable.from([raw]));
  await recordDelivery(trx, {
    blob,
    messageId,
    transport: 'outbound',
    mailFrom: envelopeFrom,
    clientAddress: null,
    clientHostname: null,
    helo: null,
    smtpSessionId: null,
    receivedAt: now,
    projects: [{ projectId: project.id, recipients: mail.to }],
  });
  const row = await trx
    .insertInto('outbox')
    .values({
      project_id: project.id,
      kind: mail.kind,
      status: context.relayConfigured ? 'queued' : 'captured',
      message_id: messageId,
      raw_sha256: blob.sha256,
      envelope_from: envelopeFrom,
      from_address: `${project.code}@${context.mailDomain}`,
      to_addresses: mail.to,
      reply_to: mail.replyTo ?? null,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      headers: JSON.stringify(headers),
      attachments: JSON.stringify(mail.attachments ?? []),
      record_type: mail.record?.type ?? null,
      record_id: mail.record?.id ?? null,
      thread_id: mail.threadId ?? null,
      next_attempt_at: context.relayConfigured ? now : null,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { outboxId: row.id, messageId };
}

/** The thread's Message-IDs in order, the last few only, as References for a new message. */
async function threadReferences(trx: Trx, projectId: number, threadId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('messages')
    .select('message_id')
    .where('project_id', '=', projectId)
    .where('thread_id', '=', threadId)
    .where('message_id', 'is not', null)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(10)
    .execute();
  return rows.flatMap((row) => (row.message_id ? [row.message_id] : [])).reverse();
}
