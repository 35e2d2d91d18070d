import type { Db } from '../db/database.js';

/**
 * One thread of a project with its messages (oldest first, with their raw message's SHA-256) and
 * their attachments' metadata (with whether their text was read): what the thread page and the
 * API's thread both show. Undefined when the project has no such thread.
 */
export async function loadThreadMessages(db: Db, projectId: number, threadId: number) {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'subject', 'merged_into'])
    .where('project_id', '=', projectId)
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!thread) return undefined;
  const messages = await db
    .selectFrom('messages')
    .innerJoin('inbound_messages', (join) =>
      join
        .onRef('inbound_messages.id', '=', 'messages.inbound_id')
        .onRef('inbound_messages.project_id', '=', 'messages.project_id'),
    )
    .select([
      'messages.id',
      'messages.message_id',
      'messages.subject',
      'messages.from_address',
      'messages.from_name',
      'messages.to_addresses',
      'messages.cc_addresses',
      'messages.sent_at',
      'messages.received_at',
      'messages.text_body',
      'messages.html_body',
      'messages.reply_text',
      'messages.elided_text',
      'messages.flags',
      'messages.parse_warnings',
      'messages.filing_reasons',
      'inbound_messages.raw_sha256',
      'inbound_messages.raw_size',
    ])
    .where('messages.project_id', '=', projectId)
    .where('messages.thread_id', '=', thread.id)
    .orderBy((eb) => eb.fn.coalesce('messages.sent_at', 'messages.received_at'))
    .orderBy('messages.id')
    .execute();
  const attachments =
    messages.length === 0
      ? []
      : await db
          .selectFrom('attachments as a')
          .leftJoin('attachment_texts as t', (join) =>
            join.onRef('t.project_id', '=', 'a.project_id').onRef('t.attachment_id', '=', 'a.id'),
          )
          .select([
            'a.id',
            'a.message_id',
            'a.filename',
            'a.content_type',
            'a.size',
            'a.blob_sha256',
            'a.inline',
            'a.content_id',
            // Whether its text was read, without the text itself.
            't.state as text_state',
            't.kind as text_kind',
            't.detail as text_detail',
            't.pages as text_pages',
          ])
          .where('a.project_id', '=', projectId)
          .where(
            'a.message_id',
            'in',
            messages.map((m) => m.id),
          )
          .orderBy('a.message_id')
          .orderBy('a.position')
          .execute();
  return { thread, messages, attachments };
}
