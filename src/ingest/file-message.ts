import { sql } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import {
  addToThreadSummary,
  bindThreadKeys,
  createThread,
  databaseThreadStore,
  mergeThreads,
} from '../correspondence/thread.repository.js';
import type { Db, InboundMessage, Trx } from '../db/database.js';
import { decideThread } from '../mail/threading.js';
import { classifyMail } from './classify.js';
import { routeInTransaction } from './route-in-transaction.js';
import { markHardBounces } from '../reminders/mark-hard-bounces.js';
import { threadFromReplyToken } from '../records/token-thread.js';
import type { RecordContext } from '../records/record-context.js';
import { minimalMail } from './minimal-mail.js';
import { parseMail } from './parse.js';

export interface FilingContext {
  db: Db;
  blobs: BlobStore;
  mailDomain: string;
  /** Record rules (submittals, replies to notifications); without them messages are only logged. */
  records?: RecordContext;
}

export interface FiledMessage {
  messageId: number;
  threadId: number;
  alreadyFiled: boolean;
}

/**
 * Files one stored message: parse the raw bytes, classify, thread, and write the message, its
 * attachments and the thread in one transaction. Threading for a project is serialised with an
 * advisory lock, so two messages of one conversation filed at once cannot open two threads.
 * Running it again for a message already filed changes nothing.
 */
export async function fileInboundMessage(
  context: FilingContext,
  inbound: Pick<
    InboundMessage,
    'project_id' | 'id' | 'raw_sha256' | 'mail_from' | 'received_at' | 'transport'
  >,
  now: Date,
  options: { degradedBecause?: string } = {},
): Promise<FiledMessage> {
  const { db, blobs, mailDomain } = context;
  const projectId = inbound.project_id;
  const degraded = options.degradedBecause !== undefined;
  const { mail, attachmentBlobs } = degraded
    ? {
        mail: await minimalMail(blobs, inbound.raw_sha256, options.degradedBecause ?? ''),
        attachmentBlobs: [],
      }
    : await parseMail(await blobs.open(inbound.raw_sha256), blobs);
  const classification = degraded
    ? { flags: ['parse-warning', 'unprocessed'], details: {}, reply: '', elided: '', reasons: [] }
    : classifyMail(mail, inbound.mail_from, inbound.transport === 'outbound');
  const isOurs = (address: string) => address.endsWith(`@${mailDomain}`);
  const participants = [
    ...new Set([mail.from, ...mail.to, ...mail.cc].flatMap((a) => (a?.address ? [a.address] : []))),
  ].filter((address) => !isOurs(address));
  const sentAt = mail.date ?? inbound.received_at;

  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${projectId}::bigint)`.execute(trx);
    const existing = await trx
      .selectFrom('messages')
      .select(['id', 'thread_id'])
      .where('project_id', '=', projectId)
      .where('inbound_id', '=', inbound.id)
      .executeTakeFirst();
    if (existing) {
      await markFiled(trx, projectId, inbound.id, now);
      return { messageId: existing.id, threadId: existing.thread_id, alreadyFiled: true };
    }

    const decision = await decideThread(
      {
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        threadIndex: mail.headers.get('thread-index')?.[0] ?? null,
        subject: mail.subject,
        participants,
        date: sentAt,
      },
      databaseThreadStore(trx, projectId),
    );
    // A reply to one of our notifications joins its record's thread unless its own references
    // already placed it; a subject guess gives way to the token.
    const inboundRow = await trx
      .selectFrom('inbound_messages')
      .select('rcpt_to')
      .where('project_id', '=', projectId)
      .where('id', '=', inbound.id)
      .executeTakeFirstOrThrow();
    // Only mail to a subaddress (`+submittal`, `+r-<token>` …) concerns the record rules; plain
    // correspondence skips their lookups.
    const toSubaddress = inboundRow.rcpt_to.some((address) => address.split('@')[0]?.includes('+'));
    const project =
      context.records && toSubaddress
        ? await trx
            .selectFrom('projects')
            .select(['id', 'code'])
            .where('id', '=', projectId)
            .executeTakeFirstOrThrow()
        : null;
    const tokenThread =
      context.records && project
        ? await threadFromReplyToken(trx, context.records, project, inboundRow.rcpt_to, now)
        : null;
    if (
      tokenThread &&
      (decision.threadId === null || decision.reasons.some((r) => r.rule === 'subject'))
    ) {
      decision.threadId = tokenThread.threadId;
      decision.mergeThreadIds = [];
      decision.reasons.push({
        rule: 'reply-token',
        detail: `sent to a reply address of ours (${tokenThread.record})`,
      });
    }
    const threadId =
      decision.threadId ??
      (await createThread(trx, projectId, {
        subject: mail.subject,
        normalizedSubject: decision.normalizedSubject,
        at: sentAt,
      }));
    await bindThreadKeys(trx, projectId, threadId, decision.bindKeys);

    for (const blob of attachmentBlobs) await blobs.record(trx, blob);
    const message = await trx
      .insertInto('messages')
      .values({
        project_id: projectId,
        inbound_id: inbound.id,
        thread_id: threadId,
        message_id: mail.messageId,
        parent_message_id: decision.parentMessageId,
        in_reply_to: mail.inReplyTo,
        references: mail.references,
        thread_index: mail.headers.get('thread-index')?.[0] ?? null,
        subject: mail.subject,
        normalized_subject: decision.normalizedSubject,
        from_address: mail.from?.address || null,
        from_name: mail.from?.name || null,
        to_addresses: JSON.stringify(mail.to),
        cc_addresses: JSON.stringify(mail.cc),
        reply_to_addresses: JSON.stringify(mail.replyTo),
        sent_at: mail.date,
        received_at: inbound.received_at,
        text_body: stripNul(mail.text),
        html_body: stripNul(mail.html),
        reply_text: stripNul(classification.reply) ?? '',
        elided_text: stripNul(classification.elided) ?? '',
        flags: classification.flags,
        classification: JSON.stringify(classification.details),
        parse_warnings: mail.warnings,
        filing_reasons: JSON.stringify([...decision.reasons, ...classification.reasons]),
        attachment_count: mail.attachments.length,
        filed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let attachmentIds: number[] = [];
    if (mail.attachments.length > 0) {
      const inserted = await trx
        .insertInto('attachments')
        .values(
          mail.attachments.map((attachment, position) => ({
            project_id: projectId,
            message_id: message.id,
            position,
            blob_sha256: attachment.sha256,
            filename: stripNul(attachment.filename),
            content_type: attachment.contentType,
            size: attachment.size,
            content_id: attachment.contentId,
            inline: attachment.inline,
          })),
        )
        .returning('id')
        .execute();
      attachmentIds = inserted.map((row) => row.id);
    }
    if (classification.flags.includes('bounce')) {
      // A hard bounce of our mail marks the address undeliverable: reminders skip it.
      const details = classification.details;
      await markHardBounces(trx, { projectId, messageId: message.id, details }, now);
    }
    if (decision.mergeThreadIds.length > 0) {
      await mergeThreads(trx, projectId, threadId, decision.mergeThreadIds);
    } else {
      await addToThreadSummary(trx, projectId, threadId, { at: sentAt, participants });
    }
    if (context.records && toSubaddress && !degraded) {
      const routing = await routeInTransaction(trx, context.records, {
        projectId,
        inboundId: inbound.id,
        messageId: message.id,
        threadId,
        mail,
        classification,
        attachmentIds,
        raw: () => blobs.read(inbound.raw_sha256, trx),
        now,
      });
      if (routing.length > 0) {
        await trx
          .updateTable('messages')
          .set({
            filing_reasons: JSON.stringify([
              ...decision.reasons,
              ...classification.reasons,
              ...routing,
            ]),
          })
          .where('project_id', '=', projectId)
          .where('id', '=', message.id)
          .execute();
      }
    }
    await markFiled(trx, projectId, inbound.id, now);
    return { messageId: message.id, threadId, alreadyFiled: false };
  });
}

async function markFiled(trx: Trx, projectId: number, inboundId: number, now: Date): Promise<void> {
  await trx
    .updateTable('inbound_messages')
    .set({ state: 'filed', filed_at: now, claimed_until: null, last_error: null })
    .where('project_id', '=', projectId)
    .where('id', '=', inboundId)
    .execute();
}

/** PostgreSQL text cannot hold NUL characters, which broken mail does contain. */
function stripNul<T extends string | null>(value: T): T {
  return (value === null ? null : value.replaceAll('\u0000', '')) as T;
}
